package io.meshgw.operator.crd;

/** API group and version shared by every meshgw custom resource. Stable interface: renaming breaks clusters. */
public final class Crds {
    public static final String GROUP = "meshgw.io";
    public static final String VERSION = "v1alpha1";

    /** An ASN is an unsigned 32-bit number (RFC 6793). */
    public static final long MAX_ASN = 4_294_967_295L;

    /** The printer column every kind has: the status of its Ready condition. */
    public static final String READY_COLUMN_PATH = ".status.conditions[?(@.type==\"Ready\")].status";

    /** The printer column every kind has last: its age. */
    public static final String AGE_COLUMN_PATH = ".metadata.creationTimestamp";

    /** The longest text of an IP address: an IPv6 address with an embedded IPv4 one. */
    public static final int MAX_ADDRESS_LENGTH = 45;

    /** The longest text of a CIDR: the longest address and {@code /128}. */
    public static final int MAX_CIDR_LENGTH = 49;

    /**
     * How many entries a list that a CEL rule walks may hold. The API server estimates a rule's cost from the sizes
     * the schema allows and refuses a CRD whose rules could cost too much, so every such list and its strings are
     * bounded; the bound is far above what a pool or a LegacyService needs.
     */
    public static final int MAX_RULE_LIST = 64;

    /** A number 0..65535, no sign: one half of an RFC 1997 community. */
    private static final String U16 = "(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5]?[0-9]{1,4})";

    /** A number 0..4294967295, no sign: one part of an RFC 8092 large community. */
    private static final String U32 = "(429496729[0-5]|42949672[0-8][0-9]|4294967[01][0-9]{2}|429496[0-6][0-9]{3}"
            + "|42949[0-5][0-9]{4}|4294[0-8][0-9]{5}|429[0-3][0-9]{6}|42[0-8][0-9]{7}|4[01][0-9]{8}"
            + "|[1-3]?[0-9]{1,9})";

    /** An RFC 1997 community, {@code asn:value}, each part 0..65535. */
    public static final String COMMUNITY = "^" + U16 + ":" + U16 + "$";

    /** An RFC 8092 large community, {@code global:local1:local2}, each part 0..4294967295. */
    public static final String LARGE_COMMUNITY = "^" + U32 + ":" + U32 + ":" + U32 + "$";

    /** A DNS-1123 label: a namespace's name, a Service port's name. */
    public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

    /** A DNS-1123 subdomain: the name of most Kubernetes objects (pools, policies, Secrets, ServiceAccounts). */
    public static final String OBJECT_NAME = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A key of a Secret's data. */
    public static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

    private Crds() {}
}
