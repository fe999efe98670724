package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;

/** {@code gw/<node>}: a gateway node through which other clusters reach this one. */
public record GatewayKey(String node) implements StateKey {

    public GatewayKey {
        NameRules.requireSubdomain("node name", node);
    }

    @Override
    public String format() {
        return "gw/" + node;
    }
}
