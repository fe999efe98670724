package io.meshgw.bgp.wire;

import io.meshgw.bgp.wire.PathAttribute.Segment;
import java.util.ArrayList;
import java.util.List;

/** Encodes messages to wire bytes for the negotiated {@link CodecOptions}. */
public final class MessageEncoder {

    private MessageEncoder() {}

    /**
     * The message as bytes, header included.
     *
     * @throws IllegalArgumentException if it does not fit the negotiated maximum length; UPDATE
     *     builders split their NLRI to avoid that
     */
    public static byte[] encode(BgpMessage m, CodecOptions o) {
        WireWriter w = new WireWriter(m instanceof Update ? 4096 : 64);
        for (int i = 0; i < 16; i++) {
            w.u8(0xFF);
        }
        w.u16(0); // length, patched below
        w.u8(m.type());
        switch (m) {
            case Open open -> open(w, open);
            case Update u -> update(w, u, o);
            case Notification n -> {
                w.u8(n.code());
                w.u8(n.subcode());
                w.bytes(n.data());
            }
            case Keepalive k -> {}
            case RouteRefresh rr -> {
                w.u16(rr.afi());
                w.u8(rr.subtype());
                w.u8(rr.safi());
            }
        }
        if (w.position() > o.maxMessageLength()) {
            throw new IllegalArgumentException(
                    "message of " + w.position() + " bytes exceeds the negotiated " + o.maxMessageLength());
        }
        w.patchU16(16, w.position());
        return w.toByteArray();
    }

    private static void open(WireWriter w, Open open) {
        w.u8(4);
        w.u16(open.myAs());
        w.u16(open.holdTime());
        w.u32(open.bgpId());
        WireWriter caps = new WireWriter(64);
        for (Capability c : open.capabilities()) {
            caps.u8(c.code());
            int lenAt = caps.position();
            caps.u8(0);
            switch (c) {
                case Capability.MultiProtocol mp -> {
                    caps.u16(mp.afi());
                    caps.u8(0);
                    caps.u8(mp.safi());
                }
                case Capability.GracefulRestart gr -> {
                    caps.u16((gr.restarting() ? 0x8000 : 0) | gr.restartTimeSeconds());
                    for (var f : gr.families()) {
                        caps.u16(f.afi());
                        caps.u8(f.safi());
                        caps.u8(f.forwardingPreserved() ? 0x80 : 0);
                    }
                }
                case Capability.ExtendedNextHop enh -> {
                    for (var e : enh.entries()) {
                        caps.u16(e.nlriAfi());
                        caps.u16(e.nlriSafi());
                        caps.u16(e.nextHopAfi());
                    }
                }
                case Capability.FourOctetAs fa -> caps.u32(fa.asn());
                case Capability.Role r -> caps.u8(r.role());
                case Capability.Unknown u -> caps.bytes(u.value());
                case Capability.RouteRefreshCapability r -> {}
                case Capability.EnhancedRouteRefresh r -> {}
                case Capability.ExtendedMessage e -> {}
            }
            caps.patchU8(lenAt, caps.position() - lenAt - 1);
        }
        byte[] c = caps.toByteArray();
        if (c.length == 0) {
            w.u8(0);
            return;
        }
        if (c.length + 2 > 255) {
            throw new IllegalArgumentException("capabilities need " + c.length + " bytes; one parameter holds 253");
        }
        w.u8(c.length + 2);
        w.u8(2); // optional parameter type: capabilities (RFC 5492)
        w.u8(c.length);
        w.bytes(c);
    }

    private static void update(WireWriter w, Update u, CodecOptions o) {
        int wAt = w.position();
        w.u16(0);
        Nlri.write(w, u.withdrawn());
        w.patchU16(wAt, w.position() - wAt - 2);
        int aAt = w.position();
        w.u16(0);
        for (PathAttribute a : attributesForSession(u.attributes(), o)) {
            attribute(w, a, o);
        }
        w.patchU16(aAt, w.position() - aAt - 2);
        Nlri.write(w, u.nlri());
    }

    /**
     * RFC 6793 §4.2.2: toward a 2-octet peer, AS_PATH carries AS_TRANS for large ASNs and the real
     * path travels in AS4_PATH (likewise AGGREGATOR / AS4_AGGREGATOR).
     */
    static List<PathAttribute> attributesForSession(List<PathAttribute> attrs, CodecOptions o) {
        if (o.fourOctetAs()) {
            return attrs.stream()
                    .filter(a -> !(a instanceof PathAttribute.As4Path)
                            && !(a instanceof PathAttribute.Aggregator g && g.as4()))
                    .toList();
        }
        List<PathAttribute> out = new ArrayList<>(attrs.size() + 2);
        for (PathAttribute a : attrs) {
            switch (a) {
                case PathAttribute.AsPath p -> {
                    out.add(p);
                    List<Segment> as4 = As4.withoutConfed(p.segments());
                    if (As4.needsFourOctets(as4)) {
                        out.add(new PathAttribute.As4Path(as4));
                    }
                }
                case PathAttribute.Aggregator g
                when !g.as4() && g.asn() > 0xFFFF -> {
                    out.add(new PathAttribute.Aggregator(Open.AS_TRANS, g.address(), false));
                    out.add(new PathAttribute.Aggregator(g.asn(), g.address(), true));
                }
                case PathAttribute.As4Path p -> {}
                default -> out.add(a);
            }
        }
        return out;
    }

    private static void attribute(WireWriter w, PathAttribute a, CodecOptions o) {
        WireWriter v = new WireWriter(16);
        switch (a) {
            case PathAttribute.Origin x -> v.u8(x.value());
            case PathAttribute.AsPath x -> segments(v, x.segments(), o.fourOctetAs() ? 4 : 2);
            case PathAttribute.As4Path x -> segments(v, x.segments(), 4);
            case PathAttribute.NextHop x -> v.bytes(x.address());
            case PathAttribute.MultiExitDisc x -> v.u32(x.value());
            case PathAttribute.LocalPref x -> v.u32(x.value());
            case PathAttribute.AtomicAggregate x -> {}
            case PathAttribute.Aggregator x -> {
                if (x.as4() || o.fourOctetAs()) {
                    v.u32(x.asn());
                } else {
                    v.u16((int) x.asn());
                }
                v.bytes(x.address());
            }
            case PathAttribute.Communities x -> x.values().forEach(v::u32);
            case PathAttribute.ExtendedCommunities x -> x.values().forEach(v::u64);
            case PathAttribute.LargeCommunities x ->
                x.values().forEach(l -> {
                    v.u32(l.global());
                    v.u32(l.local1());
                    v.u32(l.local2());
                });
            case PathAttribute.MpReachNlri x -> {
                v.u16(x.afi().code);
                v.u8(x.safi());
                v.u8(x.nextHop().length);
                v.bytes(x.nextHop());
                v.u8(0);
                Nlri.write(v, x.nlri());
            }
            case PathAttribute.MpUnreachNlri x -> {
                v.u16(x.afi().code);
                v.u8(x.safi());
                Nlri.write(v, x.withdrawn());
            }
            case PathAttribute.OnlyToCustomer x -> v.u32(x.asn());
            case PathAttribute.Unknown x -> v.bytes(x.value());
        }
        byte[] value = v.toByteArray();
        int flags = a instanceof PathAttribute.Unknown u ? u.flags() : a.flags();
        boolean extended = value.length > 255;
        w.u8(extended ? flags | PathAttribute.EXTENDED_LENGTH : flags & ~PathAttribute.EXTENDED_LENGTH);
        w.u8(a.type());
        if (extended) {
            w.u16(value.length);
        } else {
            w.u8(value.length);
        }
        w.bytes(value);
    }

    private static void segments(WireWriter v, List<Segment> segments, int asBytes) {
        for (Segment s : segments) {
            // RFC 4271 §4.3: a segment holds at most 255 ASes; longer ones are split
            List<Long> asns = s.asns();
            for (int from = 0; from < asns.size(); from += 255) {
                List<Long> part = asns.subList(from, Math.min(asns.size(), from + 255));
                v.u8(s.segmentType());
                v.u8(part.size());
                for (long asn : part) {
                    if (asBytes == 4) {
                        v.u32(asn);
                    } else {
                        v.u16(asn > 0xFFFF ? Open.AS_TRANS : (int) asn);
                    }
                }
            }
        }
    }
}
