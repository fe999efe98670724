package io.meshgw.operator.model;

/** Autonomous system number rules. */
public final class Asn {
    public static final long MAX = 4_294_967_295L;

    /** RFC 6793 §9: AS_TRANS stands in for a 4-octet ASN in 2-octet fields; never a real peer. */
    public static final long AS_TRANS = 23_456L;

    private Asn() {}

    /** Any ASN usable on a session: 1..2^32-1 except AS_TRANS. Private ranges (RFC 6996) are allowed. */
    public static Validation validate(String path, Long asn) {
        if (asn == null) return Validation.of(path, "is required");
        if (asn < 1 || asn > MAX) return Validation.of(path, asn + " is not a valid ASN (1..4294967295)");
        if (asn == AS_TRANS) return Validation.of(path, "23456 is AS_TRANS (RFC 6793) and cannot be a peer's ASN");
        return Validation.OK;
    }
}
