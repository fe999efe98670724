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
 * gateway node that owns its identity's egress address, and the legacy prefixes their packets are steered toward.
 *
 * @param self this node's address: the outer source of what it steers, the outer destination of the replies; empty =
 *     nothing steered, every such pod's packet toward a legacy prefix dropped (there is no way to its owner)
 * @param pods by pod address, its identity's owner; a pod whose owner is unknown has its packets toward legacy
 *     prefixes dropped rather than sent with its own address
 * @param destinations the legacy prefixes
 */
public record NodeSteering(Optional<Inet4Address> self, Map<Inet4Address, Pod> pods, List<Ipv4Prefix> destinations) {

    /** Nothing steered. */
    public static final NodeSteering NONE = new NodeSteering(Optional.empty(), Map.of(), List.of());

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

    /** The content of mgw_node_gw_v1: the owners whose replies are decapsulated. */
    Map<Integer, Integer> gatewayEntries() {
        Set<Integer> owners = new HashSet<>();
        pods.values().forEach(p -> p.owner().ifPresent(o -> owners.add(Ipv4.toInt(o))));
        Map<Integer, Integer> out = new HashMap<>();
        owners.forEach(o -> out.put(o, 1));
        return out;
    }
}
