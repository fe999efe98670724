package io.meshgw.bgp.wire;

import java.util.Optional;

/**
 * Format checks for the optional transitive attributes meshgw does not act on but may relay when an operator asks
 * ({@link AttributeScreen.Action#RELAY}). Each check follows the attribute's own RFC and answers with the handling
 * that RFC (or RFC 7606 where it is silent) gives a malformed instance, so a router that understands the attribute
 * never receives from meshgw one it would reset the session for.
 */
final class TransitiveFormats {

    static final int PMSI_TUNNEL = 22;
    static final int TUNNEL_ENCAPSULATION = 23;
    static final int IPV6_EXTENDED_COMMUNITIES = 25;
    static final int PREFIX_SID = 40;
    static final int ATTR_SET = 128;

    private TransitiveFormats() {}

    /** Why {@code value} is not a well-formed attribute of {@code type}, as the error to act on; empty when it is. */
    static Optional<BgpError> check(int type, byte[] value) {
        String why = switch (type) {
            case PMSI_TUNNEL -> pmsiTunnel(value);
            case TUNNEL_ENCAPSULATION -> tunnelEncapsulation(value);
            case IPV6_EXTENDED_COMMUNITIES ->
                // RFC 5701 §2: 20-octet communities
                value.length == 0 || value.length % 20 != 0 ? "length " + value.length : null;
            case PREFIX_SID -> prefixSid(value);
            case ATTR_SET -> attrSet(value);
            default -> null; // a format meshgw does not know: relayed as received
        };
        if (why == null) {
            return Optional.empty();
        }
        String reason = "malformed " + AttributeScreen.name(type) + ": " + why;
        // RFC 8669 §6: a malformed Prefix-SID is discarded; RFC 9012 §13 and RFC 7606 §2 (attributes
        // that affect route selection or forwarding) make the others treat-as-withdraw.
        BgpError e = type == PREFIX_SID
                ? BgpError.discard(Notification.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, reason)
                : BgpError.withdraw(Notification.UPDATE_OPTIONAL_ATTRIBUTE_ERROR, reason);
        return Optional.of(e.about(type));
    }

    /** RFC 6514 §5: flags (1), tunnel type (1), MPLS label (3), then the tunnel identifier. */
    private static String pmsiTunnel(byte[] v) {
        return v.length < 5 ? "length " + v.length + ", at least 5" : null;
    }

    /**
     * RFC 9012 §2: one or more Tunnel TLVs (type 2, length 2), each a list of sub-TLVs whose length field is one octet
     * for types 0..127 and two for 128..255 (§2.1). Every length must end inside its container.
     */
    private static String tunnelEncapsulation(byte[] v) {
        if (v.length == 0) {
            return "no Tunnel TLV";
        }
        WireReader r = new WireReader(v, 0, v.length);
        while (r.remaining() > 0) {
            if (r.remaining() < 4) {
                return "truncated Tunnel TLV header at offset " + r.position();
            }
            int tunnelType = r.u16();
            int len = r.u16();
            if (len > r.remaining()) {
                return "Tunnel TLV type " + tunnelType + " of length " + len + " overruns the attribute";
            }
            WireReader sub = r.slice(len);
            while (sub.remaining() > 0) {
                int subType = sub.u8();
                int lengthBytes = subType >= 128 ? 2 : 1;
                if (sub.remaining() < lengthBytes) {
                    return "truncated sub-TLV " + subType + " in Tunnel TLV type " + tunnelType;
                }
                int subLen = lengthBytes == 2 ? sub.u16() : sub.u8();
                if (subLen > sub.remaining()) {
                    return "sub-TLV " + subType + " of length " + subLen + " overruns Tunnel TLV type " + tunnelType;
                }
                sub.skip(subLen);
            }
        }
        return null;
    }

    /**
     * RFC 8669 §3: TLVs of type (1) and length (2); the Label-Index TLV (1) is 7 octets, the Originator SRGB TLV (3)
     * is 2 flag octets and one or more 6-octet ranges.
     */
    private static String prefixSid(byte[] v) {
        if (v.length == 0) {
            return "no TLV";
        }
        WireReader r = new WireReader(v, 0, v.length);
        while (r.remaining() > 0) {
            if (r.remaining() < 3) {
                return "truncated TLV header at offset " + r.position();
            }
            int tlv = r.u8();
            int len = r.u16();
            if (len > r.remaining()) {
                return "TLV " + tlv + " of length " + len + " overruns the attribute";
            }
            if (tlv == 1 && len != 7) {
                return "Label-Index TLV of length " + len + ", not 7";
            }
            if (tlv == 3 && (len < 8 || (len - 2) % 6 != 0)) {
                return "Originator SRGB TLV of length " + len;
            }
            r.skip(len);
        }
        return null;
    }

    /**
     * RFC 6368 §5: the origin AS (4) then path attributes in their usual encoding; MP_REACH_NLRI, MP_UNREACH_NLRI and
     * ATTR_SET may not appear inside. Every attribute must end inside the set.
     */
    private static String attrSet(byte[] v) {
        if (v.length < 4) {
            return "length " + v.length + ", at least 4 for the origin AS";
        }
        WireReader r = new WireReader(v, 4, v.length - 4);
        while (r.remaining() > 0) {
            if (r.remaining() < 3) {
                return "truncated inner attribute header";
            }
            int flags = r.u8();
            int inner = r.u8();
            boolean extended = (flags & PathAttribute.EXTENDED_LENGTH) != 0;
            if (extended && r.remaining() < 2) {
                return "truncated inner attribute " + inner + " length";
            }
            int len = extended ? r.u16() : r.u8();
            if (len > r.remaining()) {
                return "inner attribute " + inner + " of length " + len + " overruns the set";
            }
            if (inner == PathAttribute.MP_REACH_NLRI || inner == PathAttribute.MP_UNREACH_NLRI || inner == ATTR_SET) {
                return "inner attribute " + inner + " is not allowed in a set";
            }
            r.skip(len);
        }
        return null;
    }
}
