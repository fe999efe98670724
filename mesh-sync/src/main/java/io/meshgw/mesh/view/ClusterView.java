package io.meshgw.mesh.view;

import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.GatewayKey;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.types.ClusterId;
import java.util.Map;

/**
 * One remote cluster's state as of its last complete read: while the reader catches up on the
 * cluster's topic again, this keeps showing the last complete state rather than a partial one.
 * {@link #slices} holds the slices whatever the status; {@link #activeSlices} is what traffic
 * may use.
 */
public record ClusterView(
        ClusterId cluster,
        ClusterStatus status,
        Map<ServiceKey, ServiceExport> services,
        Map<EndpointSliceKey, EndpointSlice> slices,
        Map<GatewayKey, GatewayAddress> gateways) {

    public ClusterView {
        services = Map.copyOf(services);
        slices = Map.copyOf(slices);
        gateways = Map.copyOf(gateways);
    }

    static ClusterView empty(ClusterId cluster, ClusterStatus status) {
        return new ClusterView(cluster, status, Map.of(), Map.of(), Map.of());
    }

    ClusterView with(ClusterId id, ClusterStatus s) {
        return new ClusterView(id, s, services, slices, gateways);
    }

    /** The slices traffic may use: none while the cluster is unavailable. */
    public Map<EndpointSliceKey, EndpointSlice> activeSlices() {
        return status.available() ? slices : Map.of();
    }
}
