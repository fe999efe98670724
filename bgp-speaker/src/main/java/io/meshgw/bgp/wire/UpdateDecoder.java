package io.meshgw.bgp.wire;

import static io.meshgw.bgp.wire.BgpError.UPDATE_MESSAGE_ERROR;
import static io.meshgw.bgp.wire.PathAttribute.EXTENDED_LENGTH;
import static io.meshgw.bgp.wire.PathAttribute.OPTIONAL;
import static io.meshgw.bgp.wire.PathAttribute.PARTIAL;
import static io.meshgw.bgp.wire.PathAttribute.TRANSITIVE;

import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * UPDATE decoding with RFC 7606 revised error handling: each malformed attribute gets the action
 * the RFC names, and only errors that make the message unparseable reset the session. The session's
 * {@link AttributeScreen} is applied on the way: configured types are discarded or withdrawn on
 * unparsed, and optional transitive attributes meshgw does not interpret are dropped unless relayed.
 */
final class UpdateDecoder {

    // RFC 4271 §6.3 UPDATE Message Error subcodes, by their short names here
    static final int MALFORMED_ATTRIBUTE_LIST = Notification.UPDATE_MALFORMED_ATTRIBUTE_LIST;
    static final int UNRECOGNIZED_WELL_KNOWN = Notification.UPDATE_UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
    static final int MISSING_WELL_KNOWN = Notification.UPDATE_MISSING_WELL_KNOWN_ATTRIBUTE;
    static final int ATTRIBUTE_FLAGS_ERROR = Notification.UPDATE_ATTRIBUTE_FLAGS_ERROR;
    static final int ATTRIBUTE_LENGTH_ERROR = Notification.UPDATE_ATTRIBUTE_LENGTH_ERROR;
    static final int INVALID_ORIGIN = Notification.UPDATE_INVALID_ORIGIN_ATTRIBUTE;
    static final int OPTIONAL_ATTRIBUTE_ERROR = Notification.UPDATE_OPTIONAL_ATTRIBUTE_ERROR;
    static final int INVALID_NETWORK_FIELD = Notification.UPDATE_INVALID_NETWORK_FIELD;
    static final int MALFORMED_AS_PATH = Notification.UPDATE_MALFORMED_AS_PATH;

    private UpdateDecoder() {}

    /** A parsed attribute, a repair to record, or a fatal error. */
    record Outcome(PathAttribute attribute, BgpError error) {
        static Outcome of(PathAttribute a) {
            return new Outcome(a, null);
        }

        static Outcome error(BgpError e) {
            return new Outcome(null, e);
        }

        static final Outcome DROP = new Outcome(null, null);

        /** An optional transitive attribute meshgw does not interpret and the operator did not ask to relay. */
        static final Outcome UNRELAYED = new Outcome(null, null);
    }

    static DecodeResult decode(WireReader r, CodecOptions o) {
        if (r.remaining() < 4) {
            return MessageDecoder.fail(
                    Notification.MESSAGE_HEADER_ERROR,
                    Notification.HEADER_BAD_MESSAGE_LENGTH,
                    MessageDecoder.lengthData(r.remaining() + MessageDecoder.HEADER_LENGTH),
                    "UPDATE shorter than 23 bytes");
        }
        int withdrawnLength = r.u16();
        if (withdrawnLength > r.remaining() - 2) {
            // RFC 7606 §4: lengths inconsistent with the message -> session reset
            return resetUpdate(MALFORMED_ATTRIBUTE_LIST, "withdrawn routes length " + withdrawnLength + " overruns");
        }
        WireReader w = r.slice(withdrawnLength);
        int attributesLength = r.u16();
        if (attributesLength > r.remaining()) {
            return resetUpdate(
                    MALFORMED_ATTRIBUTE_LIST, "total path attribute length " + attributesLength + " overruns");
        }
        WireReader a = r.slice(attributesLength);
        List<Prefix> withdrawn = Nlri.parse(w, Afi.IPV4);
        List<Prefix> nlri = Nlri.parse(r, Afi.IPV4);
        if (withdrawn == null || nlri == null) {
            // RFC 7606 §5.3: an NLRI field that cannot be parsed -> session reset
            return resetUpdate(INVALID_NETWORK_FIELD, "malformed IPv4 prefix in withdrawn routes or NLRI");
        }

        List<PathAttribute> attrs = new ArrayList<>();
        List<BgpError> repairs = new ArrayList<>();
        List<DecodeResult.Screened> screened = new ArrayList<>();
        BitSet seen = new BitSet(256);
        while (a.remaining() > 0) {
            if (a.remaining() < 3) {
                // RFC 7606 §4: too few octets left for an attribute -> treat-as-withdraw
                repairs.add(BgpError.withdraw(MALFORMED_ATTRIBUTE_LIST, "truncated attribute header"));
                break;
            }
            int flags = a.u8();
            int type = a.u8();
            boolean extended = (flags & EXTENDED_LENGTH) != 0;
            if (extended && a.remaining() < 2) {
                repairs.add(BgpError.withdraw(MALFORMED_ATTRIBUTE_LIST, "truncated extended attribute length"));
                break;
            }
            int len = extended ? a.u16() : a.u8();
            if (len > a.remaining()) {
                // RFC 7606 §4: attribute overruns the total attribute length -> treat-as-withdraw
                repairs.add(BgpError.withdraw(
                        MALFORMED_ATTRIBUTE_LIST, "attribute " + type + " of length " + len + " overruns the list"));
                break;
            }
            WireReader v = a.slice(len);
            if (seen.get(type)) {
                if (type == PathAttribute.MP_REACH_NLRI || type == PathAttribute.MP_UNREACH_NLRI) {
                    // RFC 7606 §3 (g): a repeated MP attribute -> Malformed Attribute List, reset
                    return resetUpdate(MALFORMED_ATTRIBUTE_LIST, "attribute " + type + " appears twice");
                }
                // RFC 7606 §3 (g): other repeats are discarded
                repairs.add(BgpError.discard(MALFORMED_ATTRIBUTE_LIST, "duplicate attribute " + type));
                continue;
            }
            seen.set(type);
            AttributeScreen.Action configured = o.screen().configured(type).orElse(AttributeScreen.Action.RELAY);
            if (configured != AttributeScreen.Action.RELAY) {
                // the operator's choice for this type, taken before parsing (FRR's path-attribute discard and
                // treat-as-withdraw): what the attribute holds does not matter
                screened.add(new DecodeResult.Screened(type, configured));
                continue;
            }
            Outcome out = attribute(flags & ~EXTENDED_LENGTH, type, len, v, o);
            if (out == Outcome.UNRELAYED) {
                screened.add(new DecodeResult.Screened(type, AttributeScreen.Action.DISCARD));
                continue;
            }
            if (out.error() != null) {
                if (out.error().handling() == BgpError.Handling.SESSION_RESET) {
                    return new DecodeResult.Failed(out.error());
                }
                repairs.add(out.error().attribute() == 0 ? out.error().about(type) : out.error());
            }
            if (out.attribute() != null) {
                attrs.add(out.attribute());
            }
        }
        if (!o.fourOctetAs()) {
            As4.reconcile(attrs);
        }
        checkMandatory(attrs, !nlri.isEmpty(), repairs);
        return new DecodeResult.Ok(new Update(withdrawn, attrs, nlri), repairs, screened);
    }

    /** RFC 7606 §3 (d): announcements without the well-known mandatory attributes are withdrawn. */
    private static void checkMandatory(List<PathAttribute> attrs, boolean ipv4Nlri, List<BgpError> repairs) {
        boolean mpReach = attrs.stream()
                .anyMatch(x ->
                        x instanceof PathAttribute.MpReachNlri m && !m.nlri().isEmpty());
        if (!ipv4Nlri && !mpReach) {
            return;
        }
        boolean origin = attrs.stream().anyMatch(x -> x instanceof PathAttribute.Origin);
        boolean asPath = attrs.stream().anyMatch(x -> x instanceof PathAttribute.AsPath);
        boolean nextHop = attrs.stream().anyMatch(x -> x instanceof PathAttribute.NextHop);
        if (!origin || !asPath || (ipv4Nlri && !nextHop)) {
            repairs.add(BgpError.withdraw(
                    MISSING_WELL_KNOWN,
                    "missing " + (!origin ? "ORIGIN" : !asPath ? "AS_PATH" : "NEXT_HOP") + " for announced routes"));
        }
    }

    private static Outcome attribute(int flags, int type, int len, WireReader v, CodecOptions o) {
        Outcome flagError = checkFlags(flags, type);
        if (flagError != null) {
            return flagError;
        }
        return switch (type) {
            case PathAttribute.ORIGIN -> {
                if (len != 1) {
                    yield withdraw(ATTRIBUTE_LENGTH_ERROR, "ORIGIN of length " + len); // RFC 7606 §7.1
                }
                int value = v.u8();
                yield value > 2
                        ? withdraw(INVALID_ORIGIN, "ORIGIN value " + value) // RFC 7606 §7.1
                        : Outcome.of(new PathAttribute.Origin(value));
            }
            case PathAttribute.AS_PATH -> {
                List<Segment> segs = segments(v, o.fourOctetAs() ? 4 : 2);
                yield segs == null
                        ? withdraw(MALFORMED_AS_PATH, "malformed AS_PATH") // RFC 7606 §7.2
                        : Outcome.of(new PathAttribute.AsPath(segs));
            }
            case PathAttribute.NEXT_HOP ->
                len != 4
                        ? withdraw(ATTRIBUTE_LENGTH_ERROR, "NEXT_HOP of length " + len) // RFC 7606 §7.3
                        : Outcome.of(new PathAttribute.NextHop(v.bytes(4)));
            case PathAttribute.MULTI_EXIT_DISC ->
                len != 4
                        ? withdraw(ATTRIBUTE_LENGTH_ERROR, "MULTI_EXIT_DISC of length " + len) // RFC 7606 §7.4
                        : Outcome.of(new PathAttribute.MultiExitDisc(v.u32()));
            case PathAttribute.LOCAL_PREF -> {
                if (o.ebgp()) {
                    yield discard(Notification.UNSPECIFIC, "LOCAL_PREF from an external peer"); // RFC 7606 §7.5
                }
                yield len != 4
                        ? withdraw(ATTRIBUTE_LENGTH_ERROR, "LOCAL_PREF of length " + len)
                        : Outcome.of(new PathAttribute.LocalPref(v.u32()));
            }
            case PathAttribute.ATOMIC_AGGREGATE ->
                len != 0
                        ? discard(ATTRIBUTE_LENGTH_ERROR, "ATOMIC_AGGREGATE of length " + len) // RFC 7606 §7.6
                        : Outcome.of(new PathAttribute.AtomicAggregate());
            case PathAttribute.AGGREGATOR -> {
                int asBytes = o.fourOctetAs() ? 4 : 2;
                if (len != asBytes + 4) {
                    yield discard(ATTRIBUTE_LENGTH_ERROR, "AGGREGATOR of length " + len); // RFC 7606 §7.7
                }
                long asn = asBytes == 4 ? v.u32() : v.u16();
                yield Outcome.of(new PathAttribute.Aggregator(asn, v.bytes(4), false));
            }
            case PathAttribute.AS4_AGGREGATOR -> {
                if (o.fourOctetAs() || len != 8) {
                    // RFC 6793 §6: from a 4-octet speaker, or malformed -> discard
                    yield discard(OPTIONAL_ATTRIBUTE_ERROR, "AS4_AGGREGATOR discarded");
                }
                yield Outcome.of(new PathAttribute.Aggregator(v.u32(), v.bytes(4), true));
            }
            case PathAttribute.AS4_PATH -> {
                List<Segment> segs = o.fourOctetAs() ? null : segments(v, 4);
                yield segs == null
                        ? discard(MALFORMED_AS_PATH, "AS4_PATH discarded") // RFC 6793 §6
                        : Outcome.of(new PathAttribute.As4Path(As4.withoutConfed(segs))); // §3
            }
            case PathAttribute.COMMUNITIES -> {
                if (len == 0 || len % 4 != 0) {
                    yield withdraw(OPTIONAL_ATTRIBUTE_ERROR, "COMMUNITIES of length " + len); // RFC 7606 §7.8
                }
                List<Long> c = new ArrayList<>(len / 4);
                while (v.remaining() > 0) {
                    c.add(v.u32());
                }
                yield Outcome.of(new PathAttribute.Communities(c));
            }
            case PathAttribute.EXTENDED_COMMUNITIES -> {
                if (len == 0 || len % 8 != 0) {
                    // RFC 7606 §7.14: malformed unless a non-zero multiple of 8
                    yield withdraw(OPTIONAL_ATTRIBUTE_ERROR, "EXTENDED_COMMUNITIES of length " + len);
                }
                List<Long> c = new ArrayList<>(len / 8);
                while (v.remaining() > 0) {
                    c.add(v.u64());
                }
                yield Outcome.of(new PathAttribute.ExtendedCommunities(c));
            }
            case PathAttribute.LARGE_COMMUNITIES -> {
                if (len == 0 || len % 12 != 0) {
                    yield withdraw(OPTIONAL_ATTRIBUTE_ERROR, "LARGE_COMMUNITIES of length " + len); // RFC 8092 §6
                }
                List<PathAttribute.LargeCommunities.Large> c = new ArrayList<>(len / 12);
                while (v.remaining() > 0) {
                    c.add(new PathAttribute.LargeCommunities.Large(v.u32(), v.u32(), v.u32()));
                }
                yield Outcome.of(new PathAttribute.LargeCommunities(c));
            }
            case PathAttribute.ONLY_TO_CUSTOMER ->
                len != 4
                        ? withdraw(ATTRIBUTE_LENGTH_ERROR, "OTC of length " + len) // RFC 9234 §5: treat-as-withdraw
                        : Outcome.of(new PathAttribute.OnlyToCustomer(v.u32()));
            case PathAttribute.MP_REACH_NLRI -> Nlri.mpReach(v, o);
            case PathAttribute.MP_UNREACH_NLRI -> Nlri.mpUnreach(v);
            default -> unknown(flags, type, v, o.screen());
        };
    }

    private static Outcome unknown(int flags, int type, WireReader v, AttributeScreen screen) {
        if ((flags & OPTIONAL) == 0) {
            // RFC 4271 §6.3: an unrecognised well-known attribute, data = the attribute
            return Outcome.error(BgpError.reset(
                    UPDATE_MESSAGE_ERROR,
                    UNRECOGNIZED_WELL_KNOWN,
                    new byte[] {(byte) flags, (byte) type},
                    "unrecognised well-known attribute " + type));
        }
        if ((flags & TRANSITIVE) == 0) {
            return Outcome.DROP; // RFC 4271 §5: unrecognised optional non-transitive attributes are ignored
        }
        if (screen.configured(type).isEmpty()) {
            return Outcome.UNRELAYED; // see AttributeScreen: relayed only when the operator asks
        }
        byte[] value = v.bytes(v.remaining());
        var malformed = TransitiveFormats.check(type, value);
        if (malformed.isPresent()) {
            return Outcome.error(malformed.get());
        }
        // RFC 4271 §5: pass unrecognised optional transitive attributes on with the Partial bit set
        return Outcome.of(new PathAttribute.Unknown(flags | PARTIAL, type, value));
    }

    /** RFC 7606 §3 (c): Optional/Transitive bits must match the attribute's definition. */
    private static Outcome checkFlags(int flags, int type) {
        int expected = switch (type) {
            case PathAttribute.ORIGIN,
                    PathAttribute.AS_PATH,
                    PathAttribute.NEXT_HOP,
                    PathAttribute.LOCAL_PREF,
                    PathAttribute.ATOMIC_AGGREGATE -> TRANSITIVE;
            case PathAttribute.MULTI_EXIT_DISC, PathAttribute.MP_REACH_NLRI, PathAttribute.MP_UNREACH_NLRI -> OPTIONAL;
            case PathAttribute.AGGREGATOR,
                    PathAttribute.COMMUNITIES,
                    PathAttribute.EXTENDED_COMMUNITIES,
                    PathAttribute.AS4_PATH,
                    PathAttribute.AS4_AGGREGATOR,
                    PathAttribute.LARGE_COMMUNITIES,
                    PathAttribute.ONLY_TO_CUSTOMER -> OPTIONAL | TRANSITIVE;
            default -> -1;
        };
        if (expected < 0 || (flags & (OPTIONAL | TRANSITIVE)) == expected) {
            return null;
        }
        String why = "attribute " + type + " with flags 0x" + Integer.toHexString(flags);
        return switch (type) {
            case PathAttribute.MP_REACH_NLRI, PathAttribute.MP_UNREACH_NLRI ->
                Outcome.error(BgpError.reset(UPDATE_MESSAGE_ERROR, ATTRIBUTE_FLAGS_ERROR, new byte[0], why));
            case PathAttribute.ATOMIC_AGGREGATE,
                    PathAttribute.AGGREGATOR,
                    PathAttribute.AS4_PATH,
                    PathAttribute.AS4_AGGREGATOR -> discard(ATTRIBUTE_FLAGS_ERROR, why);
            default -> withdraw(ATTRIBUTE_FLAGS_ERROR, why);
        };
    }

    /**
     * AS_PATH segments (RFC 4271 §4.3); null when malformed: unknown segment type, an empty
     * segment (RFC 7606 §7.2), or a segment overrunning the attribute.
     */
    static List<Segment> segments(WireReader v, int asBytes) {
        List<Segment> out = new ArrayList<>();
        while (v.remaining() > 0) {
            if (v.remaining() < 2) {
                return null;
            }
            int segType = v.u8();
            int count = v.u8();
            if (segType < 1 || segType > 4 || count == 0 || count * asBytes > v.remaining()) {
                return null;
            }
            List<Long> asns = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                asns.add(asBytes == 4 ? v.u32() : v.u16());
            }
            out.add(new Segment(segType, asns));
        }
        return out;
    }

    private static Outcome withdraw(int subcode, String reason) {
        return Outcome.error(BgpError.withdraw(subcode, reason));
    }

    private static Outcome discard(int subcode, String reason) {
        return Outcome.error(BgpError.discard(subcode, reason));
    }

    static Outcome resetOutcome(int subcode, String reason) {
        return Outcome.error(BgpError.reset(UPDATE_MESSAGE_ERROR, subcode, new byte[0], reason));
    }

    static Outcome attributeOutcome(PathAttribute a) {
        return Outcome.of(a);
    }

    private static DecodeResult resetUpdate(int subcode, String reason) {
        return MessageDecoder.fail(UPDATE_MESSAGE_ERROR, subcode, new byte[0], reason);
    }
}
