package io.meshgw.mesh.state;

import io.meshgw.types.ClusterId;
import io.meshgw.types.NameRules;
import io.meshgw.types.ServicePort;
import java.util.List;

/**
 * A slice of a service's endpoints in the cluster that owns them.
 *
 * @param owningCluster the cluster the endpoints live in; a reader rejects a slice that arrives
 *     through another cluster's topic or under another cluster's headers
 */
public record EndpointSlice(
        String namespace,
        String service,
        String slice,
        int owningCluster,
        List<ServicePort> ports,
        List<Endpoint> endpoints)
        implements StateValue {

    static final int MAX_ENDPOINTS = 1000;

    public EndpointSlice {
        NameRules.requireLabel("namespace", namespace);
        NameRules.requireLabel("service name", service);
        NameRules.requireSubdomain("slice name", slice);
        if (!ClusterId.valid(owningCluster)) {
            throw new IllegalArgumentException(
                    "owning cluster " + owningCluster + " is outside " + ClusterId.MIN + ".." + ClusterId.MAX);
        }
        ports = List.copyOf(ports);
        if (ports.size() > ServiceExport.MAX_PORTS) {
            throw new IllegalArgumentException(
                    "slice " + slice + " has " + ports.size() + " ports; at most " + ServiceExport.MAX_PORTS);
        }
        endpoints = List.copyOf(endpoints);
        if (endpoints.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException(
                    "slice " + slice + " has " + endpoints.size() + " endpoints; at most " + MAX_ENDPOINTS);
        }
    }

    @Override
    public EndpointSliceKey key() {
        return new EndpointSliceKey(namespace, service, slice);
    }
}
