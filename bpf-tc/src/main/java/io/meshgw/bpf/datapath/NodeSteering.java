package io.meshgw.bpf.datapath;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the node role steers: the pods of this node that have an EgressIdentity, each with the tunnel endpoint of the
 * gateway node that owns its identity's egress address, and the legacy prefixes their packets are steered toward; and
 * what it brings back: the flows the cluster's gateways send to the pods of this node in IPIP, whose replies go back to
 * the gateway that sent them.
 *
 * @param self this node's address: the outer source of what it steers, the outer destination of the replies; empty =
 *     nothing steered, every such pod's packet toward a legacy prefix dropped (there is no way to its owner)
 * @param pods by pod address, its identity's owner; a pod whose owner is unknown has its packets toward legacy
 *     prefixes dropped rather than sent with its own address
 * @param destinations the legacy prefixes
 * @param gateways the tunnel endpoints of the cluster's gateways, whose IPIP toward this node's pods is decapsulated
 *     (the pods' owners are accepted whether listed or not)
 * @param local the addresses of this node's pods: the only inner destinations that IPIP is decapsulated toward (the
 *     steered pods are among them whether listed or not)
 */
public record NodeSteering(
        Optional<Inet4Address> self,
        Map<Inet4Address, Pod> pods,
        List<Ipv4Prefix> destinations,
        Set<Inet4Address> gateways,
        Set<Inet4Address> local) {

    /** Nothing steered. */
    public static final NodeSteering NONE = new NodeSteering(Optional.empty(), Map.of(), List.of());

    /** Egress steering alone: only the owners are accepted, only toward the steered pods. */
    public NodeSteering(Optional<Inet4Address> self, Map<Inet4Address, Pod> pods, List<Ipv4Prefix> destinations) {
        this(self, pods, destinations, Set.of(), Set.of());
    }

    /**
     * @param identity the pod's egress identity
     * @param owner the tunnel endpoint of the gateway node owning the identity's egress address; empty when none
     */
    public record Pod(int identity, Optional<Inet4Address> owner) {
        public Pod {
            Objects.requireNonNull(owner, "owner");
            if (identity <= 0) {
                throw new IllegalArgumentException("egress identity must be positive, not " + identity);
            }
        }
    }

    public NodeSteering {
        Objects.requireNonNull(self, "self");
        pods = Map.copyOf(pods);
        destinations = List.copyOf(new java.util.LinkedHashSet<>(destinations));
        gateways = Set.copyOf(gateways);
        local = Set.copyOf(local);
        if (self.isPresent() && self.get().isAnyLocalAddress()) {
            throw new IllegalArgumentException("this node's address is 0.0.0.0");
        }
        if (self.isPresent()) {
            Inet4Address node = self.get();
            for (var e : pods.entrySet()) {
                if (e.getValue().owner().filter(node::equals).isPresent()) {
                    throw new IllegalArgumentException("pod " + e.getKey().getHostAddress()
                            + " would be steered to this node itself (" + node.getHostAddress()
                            + "): a gateway node runs the gateway, not the node role");
                }
            }
        }
    }

    /** The content of mgw_node_pod_v1: (owner, identity) by pod address (network order ints). */
    Map<Integer, NodeMaps.PodValue> podEntries() {
        Map<Integer, NodeMaps.PodValue> out = new HashMap<>();
        pods.forEach((pod, p) -> out.put(
                Ipv4.toInt(pod),
                new NodeMaps.PodValue(p.owner().map(Ipv4::toInt).orElse(0), p.identity())));
        return out;
    }

    /** The content of mgw_node_dst_v1. */
    Map<MapRecords.IdentKey, Integer> destinationEntries() {
        Map<MapRecords.IdentKey, Integer> out = new HashMap<>();
        destinations.forEach(d -> out.put(new MapRecords.IdentKey(d.length(), d.addr()), 1));
        return out;
    }

    /** The content of mgw_node_gw_v1: the gateways and owners whose IPIP is decapsulated. */
    Map<Integer, Integer> gatewayEntries() {
        Set<Integer> all = new HashSet<>();
        gateways.forEach(g -> all.add(Ipv4.toInt(g)));
        pods.values().forEach(p -> p.owner().ifPresent(o -> all.add(Ipv4.toInt(o))));
        Map<Integer, Integer> out = new HashMap<>();
        all.forEach(g -> out.put(g, 1));
        return out;
    }

    /** The content of mgw_node_local_v1: this node's pods, the steered ones among them. */
    Map<Integer, Integer> localEntries() {
        Map<Integer, Integer> out = new HashMap<>();
        local.forEach(p -> out.put(Ipv4.toInt(p), 1));
        pods.keySet().forEach(p -> out.put(Ipv4.toInt(p), 1));
        return out;
    }
}
