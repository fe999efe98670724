package io.meshgw.bgp.wire;

/** Address families (RFC 4760 §3; IANA values) the speaker carries. */
public enum Afi {
    IPV4(1, 4),
    IPV6(2, 16);

    public final int code;
    public final int addressBytes;

    Afi(int code, int addressBytes) {
        this.code = code;
        this.addressBytes = addressBytes;
    }

    /** The family for an IANA AFI code, or null when we do not carry it. */
    public static Afi of(int code) {
        return switch (code) {
            case 1 -> IPV4;
            case 2 -> IPV6;
            default -> null;
        };
    }
}
