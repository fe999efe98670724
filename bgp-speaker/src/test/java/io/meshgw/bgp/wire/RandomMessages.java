package io.meshgw.bgp.wire;

import io.meshgw.bgp.wire.PathAttribute.LargeCommunities.Large;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Seeded generators of valid messages together with the session they travel on, for round-trip
 * properties and fuzzing. Every message generated decodes, on its session, to itself: the
 * generator only makes what the session can carry (LOCAL_PREF on internal sessions, messages over
 * 4,096 bytes only with extended messages, confederation members in 2 octets where AS_PATH is
 * in 2 octets).
 */
final class RandomMessages {

    /** A message and the session options it is encoded and decoded with. */
    record Sample(BgpMessage message, CodecOptions options) {}

    private final Random rnd;

    RandomMessages(long seed) {
        this.rnd = new Random(seed);
    }

    /** The unknown attribute types the samples carry (100..199, without ATTR_SET's 128), relayed. */
    static final AttributeScreen RELAY_UNKNOWN = new AttributeScreen(IntStream.range(100, 200)
            .filter(t -> t != TransitiveFormats.ATTR_SET)
            .boxed()
            .collect(Collectors.toMap(t -> t, t -> AttributeScreen.Action.RELAY)));

    CodecOptions options() {
        return new CodecOptions(rnd.nextInt(4) != 0, rnd.nextInt(4) == 0, rnd.nextBoolean(), RELAY_UNKNOWN);
    }

    Sample sample() {
        CodecOptions o = options();
        return new Sample(message(o), o);
    }

    Prefix prefix(Afi afi) {
        byte[] a = new byte[afi.addressBytes];
        rnd.nextBytes(a);
        return new Prefix(afi, a, rnd.nextInt(afi.addressBytes * 8 + 1));
    }

    List<Prefix> prefixes(Afi afi, int max) {
        List<Prefix> out = new ArrayList<>();
        int n = rnd.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            out.add(prefix(afi));
        }
        return out.stream().distinct().toList();
    }

    /** An AS number: 2-octet, 4-octet, or the edges of each range; never AS_TRANS. */
    long asn() {
        long a = switch (rnd.nextInt(6)) {
            case 0 -> 65535;
            case 1 -> 65536;
            case 2 -> 0xFFFFFFFFL;
            case 3, 4 -> 1 + rnd.nextInt(65534);
            default -> 65536 + (rnd.nextLong() & 0x7FFFFFFFL);
        };
        return a == Open.AS_TRANS ? a + 1 : a;
    }

    private List<Long> asns(int max, boolean twoOctet) {
        List<Long> out = new ArrayList<>();
        for (int i = 1 + rnd.nextInt(max); i > 0; i--) {
            long a = asn();
            out.add(twoOctet && a > 0xFFFF ? a & 0x7FFF : a);
        }
        return out;
    }

    /**
     * An AS path: mostly sequences, with sets (RFC 4271 §4.3) and, in front, confederation
     * segments (RFC 5065 §3); now and then a path of hundreds of ASes.
     */
    PathAttribute.AsPath asPath(CodecOptions o) {
        List<Segment> segs = new ArrayList<>();
        if (rnd.nextInt(6) == 0) {
            int type = rnd.nextBoolean() ? Segment.AS_CONFED_SEQUENCE : Segment.AS_CONFED_SET;
            // Over a 2-octet session only AS_PATH carries confederation segments (RFC 6793 §3)
            segs.add(new Segment(type, asns(3, !o.fourOctetAs())));
        }
        for (int i = rnd.nextInt(4); i > 0; i--) {
            if (rnd.nextInt(40) == 0) {
                // A long sequence, as it arrives: in segments of at most 255 ASes (RFC 4271 §4.3)
                List<Long> many = asns(600, false);
                for (int from = 0; from < many.size(); from += 255) {
                    segs.add(new Segment(Segment.AS_SEQUENCE, many.subList(from, Math.min(many.size(), from + 255))));
                }
                continue;
            }
            int type = rnd.nextInt(4) == 0 ? Segment.AS_SET : Segment.AS_SEQUENCE;
            segs.add(new Segment(type, asns(5, false)));
        }
        return new PathAttribute.AsPath(segs);
    }

    Update update(CodecOptions o) {
        if (rnd.nextInt(15) == 0) {
            return new Update(prefixes(Afi.IPV4, 20), List.of(), List.of()); // withdrawals, or End-of-RIB
        }
        List<PathAttribute> attrs = new ArrayList<>();
        boolean big = o.extendedMessages() && rnd.nextInt(3) == 0;
        List<Prefix> nlri = prefixes(Afi.IPV4, big ? 2000 : 20);
        boolean mpReach = rnd.nextBoolean();
        if (!nlri.isEmpty() || mpReach || rnd.nextInt(4) == 0) {
            attrs.add(new PathAttribute.Origin(rnd.nextInt(3)));
            attrs.add(asPath(o));
        }
        if (!nlri.isEmpty() || rnd.nextInt(8) == 0) {
            byte[] nh = new byte[4];
            rnd.nextBytes(nh);
            attrs.add(new PathAttribute.NextHop(nh));
        }
        if (rnd.nextBoolean()) {
            attrs.add(new PathAttribute.MultiExitDisc(rnd.nextLong() & 0xFFFFFFFFL));
        }
        if (!o.ebgp() && rnd.nextInt(4) != 0) {
            attrs.add(new PathAttribute.LocalPref(rnd.nextLong() & 0xFFFFFFFFL));
        }
        if (rnd.nextBoolean()) {
            List<Long> c = new ArrayList<>();
            for (int i = 1 + rnd.nextInt(big ? 200 : 4); i > 0; i--) {
                c.add(rnd.nextLong() & 0xFFFFFFFFL);
            }
            attrs.add(new PathAttribute.Communities(c));
        }
        if (rnd.nextInt(3) == 0) {
            attrs.add(new PathAttribute.LargeCommunities(
                    List.of(new Large(asn(), rnd.nextLong() & 0xFFFFFFFFL, rnd.nextInt(1000)))));
        }
        if (rnd.nextInt(3) == 0) {
            attrs.add(new PathAttribute.ExtendedCommunities(List.of(rnd.nextLong(), rnd.nextLong())));
        }
        if (rnd.nextInt(4) == 0) {
            attrs.add(new PathAttribute.AtomicAggregate());
            byte[] addr = new byte[4];
            rnd.nextBytes(addr);
            attrs.add(new PathAttribute.Aggregator(asn(), addr, false));
        }
        if (mpReach) {
            attrs.add(
                    rnd.nextInt(4) == 0
                            ? new PathAttribute.MpReachNlri(Afi.IPV4, 1, bytes(4), prefixes(Afi.IPV4, 10))
                            : new PathAttribute.MpReachNlri(
                                    Afi.IPV6,
                                    1,
                                    bytes(rnd.nextBoolean() ? 16 : 32),
                                    prefixes(Afi.IPV6, big ? 600 : 10)));
        }
        if (rnd.nextInt(3) == 0) {
            Afi afi = rnd.nextBoolean() ? Afi.IPV6 : Afi.IPV4;
            attrs.add(new PathAttribute.MpUnreachNlri(afi, 1, prefixes(afi, 5)));
        }
        if (rnd.nextInt(4) == 0) {
            // Unknown optional transitive: it comes back with the Partial bit (RFC 4271 §5)
            attrs.add(new PathAttribute.Unknown(
                    PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE | PathAttribute.PARTIAL,
                    unknownType(),
                    bytes(rnd.nextInt(300))));
        }
        Collections.shuffle(attrs, rnd);
        Update u = new Update(prefixes(Afi.IPV4, 20), attrs, nlri);
        // Keep within the session's maximum: drop NLRI until it fits.
        while (size(u, o) > o.maxMessageLength() && !u.nlri().isEmpty()) {
            u = new Update(
                    u.withdrawn(), u.attributes(), u.nlri().subList(0, u.nlri().size() / 2));
        }
        return size(u, o) > o.maxMessageLength() ? update(o) : u; // a long AS path, say: try again
    }

    private int unknownType() {
        int t = 100 + rnd.nextInt(100);
        return t == TransitiveFormats.ATTR_SET ? t + 1 : t;
    }

    private static int size(Update u, CodecOptions o) {
        try {
            return MessageEncoder.encode(u, new CodecOptions(o.fourOctetAs(), true, o.ebgp(), o.screen())).length;
        } catch (IllegalArgumentException e) {
            return Integer.MAX_VALUE;
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    Open open() {
        List<Capability> caps = new ArrayList<>();
        caps.add(new Capability.MultiProtocol(1, 1));
        if (rnd.nextBoolean()) {
            caps.add(new Capability.MultiProtocol(2, 1));
        }
        if (rnd.nextBoolean()) {
            caps.add(new Capability.FourOctetAs(asn()));
        }
        if (rnd.nextBoolean()) {
            caps.add(new Capability.RouteRefreshCapability());
        }
        if (rnd.nextInt(3) == 0) {
            caps.add(new Capability.EnhancedRouteRefresh());
        }
        if (rnd.nextInt(3) == 0) {
            caps.add(new Capability.ExtendedMessage());
        }
        if (rnd.nextInt(3) == 0) {
            List<Capability.GracefulRestart.Family> fams = new ArrayList<>();
            for (int i = rnd.nextInt(3); i > 0; i--) {
                fams.add(new Capability.GracefulRestart.Family(1 + rnd.nextInt(2), 1, rnd.nextBoolean()));
            }
            caps.add(new Capability.GracefulRestart(rnd.nextBoolean(), rnd.nextInt(4096), fams));
        }
        if (rnd.nextInt(4) == 0) {
            caps.add(new Capability.Unknown(73, bytes(rnd.nextInt(20))));
        }
        Collections.shuffle(caps, rnd);
        int hold = rnd.nextInt(4) == 0 ? 0 : 3 + rnd.nextInt(65533);
        return new Open(1 + rnd.nextInt(65535), hold, 1 + (rnd.nextLong() & 0xFFFFFFFEL), caps);
    }

    BgpMessage message(CodecOptions o) {
        int kind = rnd.nextInt(10);
        return switch (kind) {
            case 0 -> open();
            case 1 -> {
                if (rnd.nextBoolean()) {
                    yield Notification.shutdown(
                            rnd.nextBoolean() ? Notification.CEASE_ADMIN_SHUTDOWN : Notification.CEASE_ADMIN_RESET,
                            "maintenance " + rnd.nextInt(1000));
                }
                yield new Notification(1 + rnd.nextInt(7), rnd.nextInt(12), bytes(rnd.nextInt(40)));
            }
            case 2 -> new Keepalive();
            case 3 -> new RouteRefresh(1 + rnd.nextInt(2), 1, rnd.nextInt(3));
            default -> update(o);
        };
    }
}
