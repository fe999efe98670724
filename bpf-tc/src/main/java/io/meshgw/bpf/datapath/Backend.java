package io.meshgw.bpf.datapath;

import io.meshgw.types.ClusterId;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One endpoint behind a VIP: an IPv4 or IPv6 address, of the VIP's own family (no NAT64).
 *
 * @param cluster the mesh cluster id the endpoint lives in
 * @param local true when it is in this gateway's cluster (local backends are preferred)
 * @param viaNode true when its flows go to its node in IPIP ({@link SteeringTable#backendNodes}): marked in its map
 *     entry, so that only such a backend's packets look its node up; a local IPv4 backend only
 */
public record Backend(InetAddress address, int port, int cluster, boolean local, boolean viaNode) {

    /** Set in the map entry's cluster field (struct backend in mgw_maps.h) of a backend {@link #viaNode}. */
    static final int VIA_NODE = 0x8000;

    /** A backend routed plainly or through its cluster's gateway. */
    public Backend(InetAddress address, int port, int cluster, boolean local) {
        this(address, port, cluster, local, false);
    }

    public Backend {
        Objects.requireNonNull(address, "backend address");
        if (viaNode && (!local || !(address instanceof java.net.Inet4Address))) {
            throw new IllegalArgumentException("backend " + address.getHostAddress()
                    + " cannot be reached through its node: only a local IPv4 backend can");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(
                    "backend " + address.getHostAddress() + " has port " + port + "; a port is 1..65535");
        }
        if (!ClusterId.valid(cluster)) {
            throw new IllegalArgumentException("backend " + address.getHostAddress() + " has cluster id " + cluster
                    + "; cluster ids are " + ClusterId.MIN + ".." + ClusterId.MAX);
        }
    }

    @Override
    public String toString() {
        return address.getHostAddress() + ":" + port + (local ? " (local)" : " (cluster " + cluster + ")")
                + (viaNode ? " via its node" : "");
    }
}
