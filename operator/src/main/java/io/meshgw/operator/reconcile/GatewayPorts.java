package io.meshgw.operator.reconcile;

import io.meshgw.operator.port.BgpControl;
import io.meshgw.operator.port.BgpSessions;
import io.meshgw.operator.port.DatapathControl;
import io.meshgw.operator.port.MeshControl;

/** The gateway's implementations of the operator's ports, and who hears about each pass. */
public record GatewayPorts(
        BgpControl bgp, BgpSessions sessions, DatapathControl datapath, MeshControl mesh, PassObserver passes) {

    public GatewayPorts(BgpControl bgp, BgpSessions sessions, DatapathControl datapath, MeshControl mesh) {
        this(bgp, sessions, datapath, mesh, PassObserver.NONE);
    }
}
