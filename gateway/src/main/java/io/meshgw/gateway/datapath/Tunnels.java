package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.types.Ipv4Address;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The tunnels of a pass: this gateway's configured endpoint and the endpoints the other clusters' gateways publish.
 * Pure. What cannot be tunnelled to (a cluster naming this gateway's own endpoint, or two clusters naming one endpoint,
 * whose packets could not be told apart) is left out with a warning: those clusters' backends are routed plainly.
 */
final class Tunnels {

    /** The table, and why published endpoints were left out of it. */
    record Planned(TunnelTable table, List<String> warnings) {}

    private Tunnels() {}

    static Planned plan(Optional<Inet4Address> local, Map<Integer, Inet4Address> published) {
        if (local.isEmpty()) {
            return new Planned(TunnelTable.NONE, List.of());
        }
        List<String> warnings = new ArrayList<>();
        Map<Inet4Address, List<Integer>> clustersOf = new HashMap<>();
        new TreeMap<>(published)
                .forEach((cluster, endpoint) -> clustersOf
                        .computeIfAbsent(endpoint, e -> new ArrayList<>())
                        .add(cluster));
        Map<Integer, Inet4Address> remotes = new TreeMap<>();
        clustersOf.forEach((endpoint, clusters) -> {
            if (endpoint.equals(local.get())) {
                warnings.add("cluster(s) " + clusters + " publish this gateway's own tunnel endpoint "
                        + endpoint.getHostAddress() + "; their backends are routed without the tunnel");
            } else if (clusters.size() > 1) {
                warnings.add("clusters " + clusters + " all publish the tunnel endpoint " + endpoint.getHostAddress()
                        + "; their backends are routed without the tunnel");
            } else {
                remotes.put(clusters.getFirst(), endpoint);
            }
        });
        warnings.sort(null);
        return new Planned(new TunnelTable(local, remotes), List.copyOf(warnings));
    }

    /** meshgw.datapath.tunnel-endpoint, parsed: a unicast IPv4 address literal, never a name to resolve. */
    static Optional<Inet4Address> endpoint(Optional<String> configured) {
        return configured.map(String::strip).filter(s -> !s.isEmpty()).map(s -> {
            Inet4Address a;
            try {
                a = Ipv4Address.parse(s).toInetAddress();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "meshgw.datapath.tunnel-endpoint is '" + s + "'; it must be an IPv4 address", e);
            }
            if (a.isAnyLocalAddress() || a.isMulticastAddress() || a.isLoopbackAddress()) {
                throw new IllegalArgumentException("meshgw.datapath.tunnel-endpoint is '" + s
                        + "'; it must be a unicast address of this node that the other gateways reach");
            }
            return a;
        });
    }
}
