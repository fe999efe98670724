package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.types.Ipv4Address;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tunnels of a pass: this gateway's configured endpoint and the endpoints the other clusters' gateways publish.
 * Pure. What cannot be tunnelled to (a cluster naming this gateway's own endpoint, or two clusters naming one endpoint,
 * whose packets could not be told apart) is left out with a warning: those clusters' backends are routed plainly.
 */
public final class Tunnels {

    /** The table, and why published endpoints were left out of it. */
    record Planned(TunnelTable table, List<String> warnings) {}

    private Tunnels() {}

    /**
     * @param published each other cluster's gateway endpoints, the one to tunnel to first; every one is accepted as the
     *     source of tunnelled packets
     */
    static Planned plan(Optional<Inet4Address> local, Map<Integer, List<Inet4Address>> published) {
        if (local.isEmpty()) {
            return new Planned(TunnelTable.NONE, List.of());
        }
        List<String> warnings = new ArrayList<>();
        Map<Inet4Address, List<Integer>> clustersOf = new HashMap<>();
        new TreeMap<>(published)
                .forEach((cluster, endpoints) -> endpoints.stream()
                        .distinct()
                        .forEach(endpoint -> clustersOf
                                .computeIfAbsent(endpoint, e -> new ArrayList<>())
                                .add(cluster)));
        Map<Integer, Inet4Address> remotes = new TreeMap<>();
        Map<Integer, Set<Inet4Address>> alsoFrom = new TreeMap<>();
        new TreeMap<>(published).forEach((cluster, endpoints) -> {
            for (Inet4Address endpoint : endpoints) {
                List<Integer> clusters = clustersOf.get(endpoint);
                if (endpoint.equals(local.get())) {
                    warnings.add("cluster " + cluster + " publishes this gateway's own tunnel endpoint "
                            + endpoint.getHostAddress() + "; it is neither tunnelled to nor accepted from");
                } else if (clusters.size() > 1) {
                    if (clusters.getFirst().equals(cluster)) {
                        warnings.add("clusters " + clusters + " all publish the tunnel endpoint "
                                + endpoint.getHostAddress() + "; it is neither tunnelled to nor accepted from");
                    }
                } else if (!remotes.containsKey(cluster)) {
                    remotes.put(cluster, endpoint);
                } else {
                    alsoFrom.computeIfAbsent(cluster, c -> new HashSet<>()).add(endpoint);
                }
            }
            if (!remotes.containsKey(cluster) && !endpoints.isEmpty()) {
                warnings.add("cluster " + cluster + " has no tunnel endpoint left; its backends are routed without the"
                        + " tunnel");
            }
        });
        warnings.sort(null);
        return new Planned(new TunnelTable(local, remotes, alsoFrom), List.copyOf(warnings));
    }

    /** meshgw.datapath.tunnel-endpoint, parsed: a unicast IPv4 address literal, never a name to resolve. */
    public static Optional<Inet4Address> endpoint(Optional<String> configured) {
        return configured
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(s -> unicastAddress("meshgw.datapath.tunnel-endpoint", s, "the other gateways reach"));
    }

    /**
     * {@code text}, the value of configuration key {@code key}, as a unicast IPv4 address of this node; the message of a
     * refusal names the key and says who must reach the address ({@code reachedBy}).
     */
    static Inet4Address unicastAddress(String key, String text, String reachedBy) {
        Inet4Address a;
        try {
            a = Ipv4Address.parse(text).toInetAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " is '" + text + "'; it must be an IPv4 address", e);
        }
        if (a.isAnyLocalAddress() || a.isMulticastAddress() || a.isLoopbackAddress()) {
            throw new IllegalArgumentException(
                    key + " is '" + text + "'; it must be a unicast address of this node that " + reachedBy);
        }
        return a;
    }
}
