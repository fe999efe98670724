package io.meshgw.bgp.wire;

import io.meshgw.bgp.wire.UpdateDecoder.Outcome;
import java.util.ArrayList;
import java.util.List;

/** Prefix lists in NLRI encoding (RFC 4271 §4.3) and the MP attributes that carry them (RFC 4760). */
final class Nlri {

    private Nlri() {}

    /** The prefixes in {@code r}, or null when one is malformed (too long or truncated). */
    static List<Prefix> parse(WireReader r, Afi afi) {
        List<Prefix> out = new ArrayList<>();
        int maxBits = afi.addressBytes * 8;
        while (r.remaining() > 0) {
            int bits = r.u8();
            int bytes = (bits + 7) / 8;
            if (bits > maxBits || bytes > r.remaining()) {
                return null;
            }
            byte[] addr = new byte[afi.addressBytes];
            for (int i = 0; i < bytes; i++) {
                addr[i] = (byte) r.u8();
            }
            out.add(new Prefix(afi, addr, bits));
        }
        return out;
    }

    /**
     * MP_REACH_NLRI (RFC 4760 §3). Malformed -> session reset (RFC 7606 §7.11); a family we do
     * not carry is ignored, as RFC 4760 §7 allows for families not negotiated.
     */
    static Outcome mpReach(WireReader v, CodecOptions o) {
        if (v.remaining() < 5) {
            return UpdateDecoder.resetOutcome(UpdateDecoder.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI too short");
        }
        int afiCode = v.u16();
        int safi = v.u8();
        int nhLen = v.u8();
        if (nhLen > v.remaining() - 1) {
            return UpdateDecoder.resetOutcome(
                    UpdateDecoder.OPTIONAL_ATTRIBUTE_ERROR, "MP_REACH_NLRI next hop length " + nhLen + " overruns");
        }
        Afi afi = Afi.of(afiCode);
        if (afi == null || safi != 1) {
            return new Outcome(
                    null,
                    BgpError.discard(Notification.UNSPECIFIC, "MP_REACH_NLRI for AFI " + afiCode + " SAFI " + safi));
        }
        // RFC 8950 §3: an IPv4 route with an IPv6 next hop only where the session negotiated it
        boolean ipv6NextHop = nhLen == 16 || nhLen == 32;
        boolean validLength = afi == Afi.IPV4 ? nhLen == 4 || (o.extendedNextHop() && ipv6NextHop) : ipv6NextHop;
        if (!validLength) {
            // RFC 7606 §7.11: a next hop length inconsistent with the family -> reset
            return UpdateDecoder.resetOutcome(
                    UpdateDecoder.OPTIONAL_ATTRIBUTE_ERROR, afi + " next hop length " + nhLen);
        }
        byte[] nh = v.bytes(nhLen);
        v.skip(1); // reserved (RFC 4760 §3: ignored on receipt)
        List<Prefix> nlri = parse(v, afi);
        if (nlri == null) {
            return UpdateDecoder.resetOutcome(UpdateDecoder.INVALID_NETWORK_FIELD, "malformed " + afi + " NLRI");
        }
        return UpdateDecoder.attributeOutcome(new PathAttribute.MpReachNlri(afi, safi, nh, nlri));
    }

    /** MP_UNREACH_NLRI (RFC 4760 §4). */
    static Outcome mpUnreach(WireReader v) {
        if (v.remaining() < 3) {
            return UpdateDecoder.resetOutcome(UpdateDecoder.OPTIONAL_ATTRIBUTE_ERROR, "MP_UNREACH_NLRI too short");
        }
        int afiCode = v.u16();
        int safi = v.u8();
        Afi afi = Afi.of(afiCode);
        if (afi == null || safi != 1) {
            return new Outcome(
                    null,
                    BgpError.discard(Notification.UNSPECIFIC, "MP_UNREACH_NLRI for AFI " + afiCode + " SAFI " + safi));
        }
        List<Prefix> withdrawn = parse(v, afi);
        if (withdrawn == null) {
            return UpdateDecoder.resetOutcome(UpdateDecoder.INVALID_NETWORK_FIELD, "malformed " + afi + " withdrawals");
        }
        return UpdateDecoder.attributeOutcome(new PathAttribute.MpUnreachNlri(afi, safi, withdrawn));
    }

    static void write(WireWriter w, List<Prefix> prefixes) {
        for (Prefix p : prefixes) {
            w.u8(p.length());
            w.bytes(p.raw(), 0, (p.length() + 7) / 8);
        }
    }
}
