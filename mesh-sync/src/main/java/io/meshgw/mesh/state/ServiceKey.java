package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;

/** {@code svc/<namespace>/<name>}: a service a cluster exports. */
public record ServiceKey(String namespace, String name) implements StateKey {

    public ServiceKey {
        NameRules.requireLabel("namespace", namespace);
        NameRules.requireLabel("service name", name);
    }

    @Override
    public String format() {
        return "svc/" + namespace + "/" + name;
    }
}
