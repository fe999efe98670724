package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One endpoint of an EndpointSlice, with the conditions Kubernetes gives it. Ready decides
 * whether new connections go to it; serving and terminating let a draining endpoint finish the
 * connections it has.
 */
public record Endpoint(
        List<InetAddress> addresses,
        boolean ready,
        boolean serving,
        boolean terminating,
        Optional<String> zone,
        Optional<String> node) {

    static final int MAX_ADDRESSES = 100;

    public Endpoint {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty() || addresses.size() > MAX_ADDRESSES) {
            throw new IllegalArgumentException(
                    "an endpoint has 1.." + MAX_ADDRESSES + " addresses, not " + addresses.size());
        }
        zone = zone == null ? Optional.empty() : zone;
        node = node == null ? Optional.empty() : node;
        zone.ifPresent(z -> {
            if (z.isEmpty() || z.length() > 63 || !LabelRules.printable(z)) {
                throw new IllegalArgumentException(
                        "zone '" + NameRules.abbreviate(z) + "' must be 1..63 printable characters");
            }
        });
        node.ifPresent(n -> NameRules.requireSubdomain("node name", n));
    }

    /** A ready, serving endpoint with one address and no topology, as most tests need. */
    public static Endpoint ready(InetAddress address) {
        return new Endpoint(List.of(address), true, true, false, Optional.empty(), Optional.empty());
    }
}
