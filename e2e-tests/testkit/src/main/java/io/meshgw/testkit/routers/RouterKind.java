package io.meshgw.testkit.routers;

/** The BGP implementations tests and benchmarks run: the real daemons from Debian, and meshgw's own. */
public enum RouterKind {
    BIRD,
    FRR,
    GOBGP,
    OPENBGPD,
    /** meshgw's speaker as a process (benchmarks); needs {@link MeshgwRouter#CLASSPATH_PROPERTY}. */
    MESHGW
}
