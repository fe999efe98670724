package io.meshgw.mesh.state;

/** The transport protocols the gateway translates. */
public enum Protocol {
    TCP,
    UDP
}
