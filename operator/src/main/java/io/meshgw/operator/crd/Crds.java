package io.meshgw.operator.crd;

/** API group and version shared by every meshgw custom resource. Stable interface: renaming breaks clusters. */
public final class Crds {
    public static final String GROUP = "meshgw.io";
    public static final String VERSION = "v1alpha1";

    /** An ASN is an unsigned 32-bit number (RFC 6793). */
    public static final long MAX_ASN = 4_294_967_295L;

    private Crds() {}
}
