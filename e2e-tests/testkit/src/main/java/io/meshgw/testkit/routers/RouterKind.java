package io.meshgw.testkit.routers;

/** The real BGP implementations the tests peer with, all from Debian's packages. */
public enum RouterKind {
    BIRD,
    FRR,
    GOBGP
}
