package io.meshgw.bpf.datapath;

import io.meshgw.types.ClusterId;
import java.net.Inet4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tunnels between this gateway and the other clusters' gateways (IPv4 in IPv4, written by the programs): this
 * gateway's own endpoint, and per other cluster the endpoint of its gateway, to which flows for that cluster's
 * backends are encapsulated and from which tunnelled packets are accepted. A cluster without an endpoint here has its
 * backends routed plainly. Without a local endpoint nothing is tunnelled and nothing decapsulated: the remote
 * endpoints are then not written at all.
 *
 * @param local this gateway's tunnel endpoint: the outer source it writes, the outer destination it decapsulates
 * @param remotes the other clusters' gateway endpoints by cluster id
 * @param alsoFrom the other endpoints of those clusters' gateway nodes, by cluster id: tunnelled packets are accepted
 *     from them too (each gateway node of a cluster tunnels the flows it translates), though none is sent to
 */
public record TunnelTable(
        Optional<Inet4Address> local, Map<Integer, Inet4Address> remotes, Map<Integer, Set<Inet4Address>> alsoFrom) {

    /** No tunnels: every backend routed plainly, no IPIP accepted. */
    public static final TunnelTable NONE = new TunnelTable(Optional.empty(), Map.of());

    /** The maximum number of endpoints accepted (mgw_peer_v1's size). */
    public static final int MAX_PEERS = 4096;

    /** One endpoint per cluster. */
    public TunnelTable(Optional<Inet4Address> local, Map<Integer, Inet4Address> remotes) {
        this(local, remotes, Map.of());
    }

    /** mgw_tun_v1's entry for this gateway's own endpoint: no cluster has id 0. */
    static final int LOCAL_SLOT = 0;

    public TunnelTable {
        Objects.requireNonNull(local, "local tunnel endpoint");
        remotes = Map.copyOf(new TreeMap<>(remotes));
        Map<Inet4Address, Integer> clusterOf = new HashMap<>();
        remotes.forEach((cluster, endpoint) -> {
            if (!ClusterId.valid(cluster)) {
                throw new IllegalArgumentException("tunnel to cluster id " + cluster + ": cluster ids are "
                        + ClusterId.MIN + ".." + ClusterId.MAX);
            }
            if (endpoint.isAnyLocalAddress()) {
                throw new IllegalArgumentException("cluster " + cluster + "'s tunnel endpoint is 0.0.0.0");
            }
            if (local.isPresent() && local.get().equals(endpoint)) {
                throw new IllegalArgumentException("cluster " + cluster + "'s tunnel endpoint "
                        + endpoint.getHostAddress() + " is this gateway's own");
            }
            claim(clusterOf, cluster, endpoint);
        });
        Map<Integer, Set<Inet4Address>> others = new TreeMap<>();
        Map<Integer, Inet4Address> sendTo = remotes;
        Optional<Inet4Address> own = local;
        alsoFrom.forEach((cluster, endpoints) -> {
            if (!sendTo.containsKey(cluster)) {
                throw new IllegalArgumentException(
                        "cluster " + cluster + " has endpoints to accept from but none to tunnel to");
            }
            Set<Inet4Address> extra = new java.util.TreeSet<>(java.util.Comparator.comparing(Ipv4::toInt));
            for (Inet4Address endpoint : endpoints) {
                if (endpoint.isAnyLocalAddress() || own.equals(Optional.of(endpoint))) {
                    throw new IllegalArgumentException("cluster " + cluster + "'s gateway endpoint "
                            + endpoint.getHostAddress() + " is 0.0.0.0 or this gateway's own");
                }
                if (endpoint.equals(sendTo.get(cluster))) {
                    continue;
                }
                claim(clusterOf, cluster, endpoint);
                extra.add(endpoint);
            }
            if (!extra.isEmpty()) others.put(cluster, Set.copyOf(extra));
        });
        alsoFrom = Map.copyOf(others);
        if (clusterOf.size() > MAX_PEERS) {
            throw new IllegalArgumentException(
                    clusterOf.size() + " gateway endpoints to accept from; at most " + MAX_PEERS + " fit");
        }
        local.ifPresent(a -> {
            if (a.isAnyLocalAddress()) {
                throw new IllegalArgumentException("this gateway's tunnel endpoint is 0.0.0.0");
            }
        });
    }

    /** Records that {@code endpoint} is {@code cluster}'s: a tunnelled packet's source must name one cluster. */
    private static void claim(Map<Inet4Address, Integer> clusterOf, int cluster, Inet4Address endpoint) {
        Integer other = clusterOf.put(endpoint, cluster);
        if (other != null && other != cluster) {
            throw new IllegalArgumentException("clusters " + Math.min(other, cluster) + " and "
                    + Math.max(other, cluster) + " both give " + endpoint.getHostAddress()
                    + " as a gateway endpoint; a tunnelled packet's source must name one cluster");
        }
    }

    /** The content of mgw_tun_v1: address (network order as an int) by slot, only non-zero slots. */
    Map<Integer, Integer> slots() {
        if (local.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Integer> out = new HashMap<>();
        out.put(LOCAL_SLOT, Ipv4.toInt(local.get()));
        remotes.forEach((cluster, endpoint) -> out.put(cluster, Ipv4.toInt(endpoint)));
        return out;
    }

    /** The content of mgw_peer_v1: cluster id by endpoint address, the peers IPIP is accepted from. */
    Map<Integer, Integer> peers() {
        if (local.isEmpty()) {
            return Map.of();
        }
        Map<Integer, Integer> out = new HashMap<>();
        remotes.forEach((cluster, endpoint) -> out.put(Ipv4.toInt(endpoint), cluster));
        alsoFrom.forEach((cluster, endpoints) -> endpoints.forEach(e -> out.put(Ipv4.toInt(e), cluster)));
        return out;
    }
}
