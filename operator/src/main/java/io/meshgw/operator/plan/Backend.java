package io.meshgw.operator.plan;

import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.ServicePort;

/**
 * A ready endpoint behind a VIP port: pod address and target port, in this cluster or another one of the mesh.
 *
 * @param local true when it lives in this gateway's cluster (the datapath prefers local backends)
 */
public record Backend(IpAddress address, int port, ClusterId cluster, boolean local) implements Comparable<Backend> {
    public Backend {
        ServicePort.checkPort("backend " + address + " port", port);
    }

    /** Local first, then by cluster id, address and port: the order the datapath's slots take. */
    @Override
    public int compareTo(Backend other) {
        if (local != other.local) {
            return local ? -1 : 1;
        }
        int c = Integer.compare(cluster.id(), other.cluster.id());
        if (c != 0) {
            return c;
        }
        c = address.compareTo(other.address);
        return c != 0 ? c : Integer.compare(port, other.port);
    }

    @Override
    public String toString() {
        return address + ":" + port + (local ? " (local)" : " (" + cluster + ")");
    }
}
