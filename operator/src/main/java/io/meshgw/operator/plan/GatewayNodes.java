package io.meshgw.operator.plan;

import io.meshgw.types.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster's gateway nodes as their gateways describe themselves on their Nodes ({@link GatewayNode#TUNNEL_ENDPOINT},
 * {@link GatewayNode#GATEWAY_IDENTITY}), and which of them serves the egress addresses.
 *
 * @param endpoints each gateway node's tunnel endpoint, by node name (sorted): the addresses a gateway accepts steered
 *     packets from, and the ones the Lease holder publishes to the other clusters
 * @param egressOwner the tunnel endpoint of the node whose gateway holds the Lease, and so serves every egress address;
 *     empty while no such node is known (no holder, or its node names no endpoint)
 * @param nodeAddresses the IPv4 InternalIP addresses of the cluster's other Nodes, sorted: the node role on an
 *     ordinary node steers its pods' egress from its address, so a gateway accepts tunnelled packets from them
 * @param notReady the gateway nodes whose Node is not Ready (the node controller lost them): their endpoints are not
 *     offered to the other clusters, which tunnel to a live one instead; still accepted and steered to here, since a
 *     node cut off from the API server may well forward
 */
public record GatewayNodes(
        Map<String, IpAddress> endpoints,
        Optional<IpAddress> egressOwner,
        java.util.SortedSet<IpAddress> nodeAddresses,
        java.util.SortedSet<String> notReady) {

    /** No gateway node known: nothing steered, nothing accepted. */
    public static final GatewayNodes NONE = new GatewayNodes(Map.of(), Optional.empty());

    public GatewayNodes {
        endpoints = java.util.Collections.unmodifiableMap(new TreeMap<>(endpoints));
        Objects.requireNonNull(egressOwner, "egressOwner");
        nodeAddresses = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(nodeAddresses));
        notReady = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(notReady));
    }

    /** Gateway nodes, all ready, with the addresses of the cluster's nodes. */
    public GatewayNodes(
            Map<String, IpAddress> endpoints,
            Optional<IpAddress> egressOwner,
            java.util.SortedSet<IpAddress> nodeAddresses) {
        this(endpoints, egressOwner, nodeAddresses, new java.util.TreeSet<>());
    }

    /** Gateway nodes, all ready, without the addresses of ordinary nodes. */
    public GatewayNodes(Map<String, IpAddress> endpoints, Optional<IpAddress> egressOwner) {
        this(endpoints, egressOwner, new java.util.TreeSet<>());
    }

    /** The endpoints of the gateway nodes that are Ready, by node name: what the other clusters may tunnel to. */
    public Map<String, IpAddress> readyEndpoints() {
        var out = new TreeMap<>(endpoints);
        out.keySet().removeAll(notReady);
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * The gateway nodes among {@code nodes}: those whose gateway wrote its identity and a tunnel endpoint. An endpoint
     * two nodes claim is left out of both (packets from it could not be told apart); the owner is the node whose
     * gateway's identity is {@code holder}; every node's IPv4 InternalIP is a source steered packets may come from.
     */
    public static GatewayNodes of(List<GatewayNode> nodes, Optional<String> holder) {
        Map<String, IpAddress> endpoints = new TreeMap<>();
        Map<IpAddress, Integer> claims = new java.util.HashMap<>();
        for (GatewayNode n : nodes) {
            if (n.gatewayIdentity().isPresent() && n.tunnelEndpoint().isPresent()) {
                endpoints.put(n.name(), n.tunnelEndpoint().get());
                claims.merge(n.tunnelEndpoint().get(), 1, Integer::sum);
            }
        }
        endpoints.values().removeIf(a -> claims.get(a) > 1);
        Optional<IpAddress> owner = holder.flatMap(h -> nodes.stream()
                .filter(n -> n.gatewayIdentity().equals(Optional.of(h)))
                .map(GatewayNode::name)
                .map(endpoints::get)
                .filter(Objects::nonNull)
                .findFirst());
        var addresses = new java.util.TreeSet<IpAddress>();
        nodes.forEach(n -> n.addresses().stream()
                .filter(io.meshgw.types.Ipv4Address.class::isInstance)
                .forEach(addresses::add));
        var notReady = new java.util.TreeSet<String>();
        nodes.stream()
                .filter(n -> !n.ready() && endpoints.containsKey(n.name()))
                .forEach(n -> notReady.add(n.name()));
        return new GatewayNodes(endpoints, owner, addresses, notReady);
    }
}
