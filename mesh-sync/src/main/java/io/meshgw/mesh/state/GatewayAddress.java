package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;
import java.net.InetAddress;
import java.util.List;

/** A gateway node of a cluster and the addresses other clusters reach it at. */
public record GatewayAddress(String node, List<InetAddress> addresses) implements StateValue {

    static final int MAX_ADDRESSES = 16;

    public GatewayAddress {
        NameRules.requireSubdomain("node name", node);
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(
                    "gateway " + node + " has " + addresses.size() + " addresses; 1.." + MAX_ADDRESSES);
        }
    }

    @Override
    public GatewayKey key() {
        return new GatewayKey(node);
    }
}
