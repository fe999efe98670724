package io.meshgw.bgp.wire;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** Path attributes (RFC 4271 §5 and the RFCs named per record); unknown ones are kept as bytes. */
public sealed interface PathAttribute {

    int OPTIONAL = 0x80;
    int TRANSITIVE = 0x40;
    int PARTIAL = 0x20;
    int EXTENDED_LENGTH = 0x10;

    int ORIGIN = 1;
    int AS_PATH = 2;
    int NEXT_HOP = 3;
    int MULTI_EXIT_DISC = 4;
    int LOCAL_PREF = 5;
    int ATOMIC_AGGREGATE = 6;
    int AGGREGATOR = 7;
    int COMMUNITIES = 8;
    int MP_REACH_NLRI = 14;
    int MP_UNREACH_NLRI = 15;
    int EXTENDED_COMMUNITIES = 16;
    int AS4_PATH = 17;
    int AS4_AGGREGATOR = 18;
    int LARGE_COMMUNITIES = 32;
    int ONLY_TO_CUSTOMER = 35;

    int type();

    /** The flags this attribute is sent with (without the extended-length bit). */
    int flags();

    /** A segment of AS_PATH or AS4_PATH. */
    record Segment(int segmentType, List<Long> asns) {
        public static final int AS_SET = 1;
        public static final int AS_SEQUENCE = 2;
        public static final int AS_CONFED_SEQUENCE = 3;
        public static final int AS_CONFED_SET = 4;

        public Segment {
            asns = List.copyOf(asns);
        }
    }

    /** RFC 4271 §5.1.1: 0 IGP, 1 EGP, 2 INCOMPLETE. */
    record Origin(int value) implements PathAttribute {
        public int type() {
            return ORIGIN;
        }

        public int flags() {
            return TRANSITIVE;
        }
    }

    record AsPath(List<Segment> segments) implements PathAttribute {
        public AsPath {
            segments = List.copyOf(segments);
        }

        public static AsPath sequence(Long... asns) {
            return new AsPath(asns.length == 0 ? List.of() : List.of(new Segment(Segment.AS_SEQUENCE, List.of(asns))));
        }

        /** Length for best-path selection (RFC 4271 §9.1.2.2 a): a set counts 1, confed segments 0. */
        public int selectionLength() {
            int n = 0;
            for (Segment s : segments) {
                n += switch (s.segmentType()) {
                    case Segment.AS_SEQUENCE -> s.asns().size();
                    case Segment.AS_SET -> 1;
                    default -> 0;
                };
            }
            return n;
        }

        /** Every AS in order, sets flattened. */
        public List<Long> flatten() {
            return segments.stream().flatMap(s -> s.asns().stream()).toList();
        }

        public int type() {
            return AS_PATH;
        }

        public int flags() {
            return TRANSITIVE;
        }
    }

    record NextHop(byte[] address) implements PathAttribute {
        public int type() {
            return NEXT_HOP;
        }

        public int flags() {
            return TRANSITIVE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof NextHop n && Arrays.equals(n.address, address);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(address);
        }
    }

    record MultiExitDisc(long value) implements PathAttribute {
        public int type() {
            return MULTI_EXIT_DISC;
        }

        public int flags() {
            return OPTIONAL;
        }
    }

    record LocalPref(long value) implements PathAttribute {
        public int type() {
            return LOCAL_PREF;
        }

        public int flags() {
            return TRANSITIVE;
        }
    }

    record AtomicAggregate() implements PathAttribute {
        public int type() {
            return ATOMIC_AGGREGATE;
        }

        public int flags() {
            return TRANSITIVE;
        }
    }

    /** AGGREGATOR, and AS4_AGGREGATOR when {@code as4} (RFC 6793 §3). */
    record Aggregator(long asn, byte[] address, boolean as4) implements PathAttribute {
        public int type() {
            return as4 ? AS4_AGGREGATOR : AGGREGATOR;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Aggregator a && a.asn == asn && a.as4 == as4 && Arrays.equals(a.address, address);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(asn) * 31 + Arrays.hashCode(address) + (as4 ? 1 : 0);
        }
    }

    /** RFC 1997 communities, each an unsigned 32-bit value. */
    record Communities(List<Long> values) implements PathAttribute {
        public Communities {
            values = List.copyOf(values);
        }

        public int type() {
            return COMMUNITIES;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }
    }

    /** RFC 4360 extended communities, carried as 8-octet values. */
    record ExtendedCommunities(List<Long> values) implements PathAttribute {
        public ExtendedCommunities {
            values = List.copyOf(values);
        }

        public int type() {
            return EXTENDED_COMMUNITIES;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }
    }

    /** RFC 8092 large communities. */
    record LargeCommunities(List<Large> values) implements PathAttribute {
        public record Large(long global, long local1, long local2) {}

        public LargeCommunities {
            values = List.copyOf(values);
        }

        public int type() {
            return LARGE_COMMUNITIES;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }
    }

    /** RFC 4760 §3; an IPv6 next hop is 16 octets, or 32 with a link-local address after the global one. */
    record MpReachNlri(Afi afi, int safi, byte[] nextHop, List<Prefix> nlri) implements PathAttribute {
        public MpReachNlri {
            nlri = List.copyOf(nlri);
        }

        /** The same family and next hop carrying {@code other}. */
        public MpReachNlri withNlri(List<Prefix> other) {
            return new MpReachNlri(afi, safi, nextHop, other);
        }

        public int type() {
            return MP_REACH_NLRI;
        }

        public int flags() {
            return OPTIONAL;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MpReachNlri m
                    && m.afi == afi
                    && m.safi == safi
                    && Arrays.equals(m.nextHop, nextHop)
                    && m.nlri.equals(nlri);
        }

        @Override
        public int hashCode() {
            return (afi.hashCode() * 31 + Arrays.hashCode(nextHop)) * 31 + nlri.hashCode();
        }
    }

    /** RFC 4760 §4. */
    record MpUnreachNlri(Afi afi, int safi, List<Prefix> withdrawn) implements PathAttribute {
        public MpUnreachNlri {
            withdrawn = List.copyOf(withdrawn);
        }

        public int type() {
            return MP_UNREACH_NLRI;
        }

        public int flags() {
            return OPTIONAL;
        }
    }

    /** RFC 6793 §3: the 4-octet path a 2-octet session carries beside AS_PATH. */
    record As4Path(List<Segment> segments) implements PathAttribute {
        public As4Path {
            segments = List.copyOf(segments);
        }

        public int type() {
            return AS4_PATH;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }
    }

    /**
     * RFC 9234 §5: Only to Customer, the AS that marked the route as one that may only go down to customers (or
     * to a lateral peer's customers).
     */
    record OnlyToCustomer(long asn) implements PathAttribute {
        public int type() {
            return ONLY_TO_CUSTOMER;
        }

        public int flags() {
            return OPTIONAL | TRANSITIVE;
        }
    }

    /** An attribute we do not interpret; optional transitive ones are passed on (RFC 4271 §5). */
    record Unknown(int flags, int type, byte[] value) implements PathAttribute {
        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.flags == flags && u.type == type && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return (flags * 31 + type) * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[type=" + type + ", flags=0x" + Integer.toHexString(flags) + ", "
                    + HexFormat.of().formatHex(value) + "]";
        }
    }
}
