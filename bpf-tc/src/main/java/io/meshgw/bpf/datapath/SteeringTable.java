package io.meshgw.bpf.datapath;

import java.net.Inet4Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Steering between this cluster's nodes on a gateway: the nodes whose IPIP it decapsulates (the node role steers its
 * pods' egress to the gateway that owns their identity's egress address, and so does a gateway that does not own it;
 * the node role sends back the replies of flows this gateway sent it), the identities whose egress address another
 * gateway owns, with that gateway's tunnel endpoint (empty: no owner is known, and their packets are dropped rather
 * than sent with the pod's own address), and the backends whose flows go to their node in IPIP.
 *
 * @param nodes the addresses IPIP from this cluster's nodes comes from (their tunnel endpoints)
 * @param ownedElsewhere by identity, the tunnel endpoint of the gateway that owns its egress address
 * @param backendNodes by backend address, the address of its node, whose node role returns the backend's replies to
 *     the gateway that sent it the flow; a backend not here is routed plainly. Every such node is accepted
 */
public record SteeringTable(
        Set<Inet4Address> nodes,
        Map<Integer, Optional<Inet4Address>> ownedElsewhere,
        Map<Inet4Address, Inet4Address> backendNodes) {

    /** No node accepted, every identity's egress translated here. */
    public static final SteeringTable NONE = new SteeringTable(Set.of(), Map.of());

    /** Egress steering alone: every backend routed plainly. */
    public SteeringTable(Set<Inet4Address> nodes, Map<Integer, Optional<Inet4Address>> ownedElsewhere) {
        this(nodes, ownedElsewhere, Map.of());
    }

    public SteeringTable {
        backendNodes = Map.copyOf(backendNodes);
        Set<Inet4Address> accepted = new java.util.HashSet<>(nodes);
        accepted.addAll(backendNodes.values());
        nodes = Set.copyOf(accepted);
        ownedElsewhere = Map.copyOf(new TreeMap<>(ownedElsewhere));
        nodes.forEach(n -> {
            if (n.isAnyLocalAddress()) {
                throw new IllegalArgumentException("a node's address is 0.0.0.0");
            }
        });
        backendNodes.keySet().forEach(b -> {
            if (b.isAnyLocalAddress()) {
                throw new IllegalArgumentException("a backend's address is 0.0.0.0");
            }
        });
        ownedElsewhere.forEach((identity, owner) -> {
            Objects.requireNonNull(owner, "owner of identity " + identity);
            if (identity <= 0) {
                throw new IllegalArgumentException("egress identity must be positive, not " + identity);
            }
            if (owner.isPresent() && owner.get().isAnyLocalAddress()) {
                throw new IllegalArgumentException("the owner of identity " + identity + " is 0.0.0.0");
            }
        });
    }

    /** The content of mgw_nodes_v1: 1 by node address (network order as an int). */
    Map<Integer, Integer> nodeEntries() {
        Map<Integer, Integer> out = new HashMap<>();
        nodes.forEach(n -> out.put(Ipv4.toInt(n), 1));
        return out;
    }

    /** The content of mgw_bnode_v1: node address by backend address (network order as ints). */
    Map<Integer, Integer> backendNodeEntries() {
        Map<Integer, Integer> out = new HashMap<>();
        backendNodes.forEach((backend, node) -> out.put(Ipv4.toInt(backend), Ipv4.toInt(node)));
        return out;
    }

    /** The content of mgw_egown_v1: owner endpoint (0 = none) by identity. */
    Map<Integer, Integer> ownerEntries() {
        Map<Integer, Integer> out = new HashMap<>();
        ownedElsewhere.forEach(
                (identity, owner) -> out.put(identity, owner.map(Ipv4::toInt).orElse(0)));
        return out;
    }
}
