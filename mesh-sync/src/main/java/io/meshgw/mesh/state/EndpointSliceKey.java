package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;

/** {@code eps/<namespace>/<service>/<slice>}: one EndpointSlice of an exported service. */
public record EndpointSliceKey(String namespace, String service, String slice) implements StateKey {

    public EndpointSliceKey {
        NameRules.requireLabel("namespace", namespace);
        NameRules.requireLabel("service name", service);
        NameRules.requireSubdomain("slice name", slice);
    }

    public ServiceKey serviceKey() {
        return new ServiceKey(namespace, service);
    }

    @Override
    public String format() {
        return "eps/" + namespace + "/" + service + "/" + slice;
    }
}
