package io.meshgw.bpf.datapath;

import io.meshgw.types.ClusterId;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One endpoint behind a VIP: an IPv4 or IPv6 address, of the VIP's own family (no NAT64).
 *
 * @param cluster the mesh cluster id the endpoint lives in
 * @param local true when it is in this gateway's cluster (local backends are preferred)
 */
public record Backend(InetAddress address, int port, int cluster, boolean local) {
    public Backend {
        Objects.requireNonNull(address, "backend address");
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
        return address.getHostAddress() + ":" + port + (local ? " (local)" : " (cluster " + cluster + ")");
    }
}
