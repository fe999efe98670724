package io.meshgw.mesh.state;

import java.util.List;

/**
 * Legacy prefixes a cluster learned from its datacenter routers (selected by policy) and shares,
 * so other clusters can route to that legacy service through it. Health follows BGP: a withdrawn
 * route removes the prefix.
 */
public record SharedLegacyService(String name, List<IpPrefix> prefixes) implements StateValue {

    static final int MAX_PREFIXES = 10_000;

    public SharedLegacyService {
        NameRules.requireLabel("legacy service name", name);
        prefixes = List.copyOf(prefixes);
        if (prefixes.size() > MAX_PREFIXES) {
            throw new IllegalArgumentException(
                    "legacy service " + name + " has " + prefixes.size() + " prefixes; at most " + MAX_PREFIXES);
        }
    }

    @Override
    public LegacyServiceKey key() {
        return new LegacyServiceKey(name);
    }
}
