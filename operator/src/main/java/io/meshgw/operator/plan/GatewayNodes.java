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
 * @param unpublished the gateway nodes not offered to the other clusters, which tunnel to a live one instead: their
 *     Node is not Ready (the node controller lost them). Still accepted and steered to here, since a node cut off from
 *     the API server may well forward. A description left behind (no Pod of the gateway that described itself there
 *     runs there any more: it moved off the node) is no gateway node at all
 * @param backendNodes the local backends that run on an ordinary node whose node role is ready, with that node role's
 *     address, sorted: a gateway sends their flows there in IPIP, and the node role returns their replies to it, so
 *     neither the node's routes nor the datacenter's need to lead back to the gateway
 */
public record GatewayNodes(
        Map<String, IpAddress> endpoints,
        Optional<IpAddress> egressOwner,
        java.util.SortedSet<IpAddress> nodeAddresses,
        java.util.SortedSet<String> unpublished,
        Map<IpAddress, IpAddress> backendNodes) {

    /** No gateway node known: nothing steered, nothing accepted. */
    public static final GatewayNodes NONE = new GatewayNodes(Map.of(), Optional.empty());

    public GatewayNodes {
        endpoints = java.util.Collections.unmodifiableMap(new TreeMap<>(endpoints));
        Objects.requireNonNull(egressOwner, "egressOwner");
        nodeAddresses = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(nodeAddresses));
        unpublished = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(unpublished));
        backendNodes = java.util.Collections.unmodifiableMap(new TreeMap<>(backendNodes));
    }

    /** Gateway nodes, no backend reached through a node role. */
    public GatewayNodes(
            Map<String, IpAddress> endpoints,
            Optional<IpAddress> egressOwner,
            java.util.SortedSet<IpAddress> nodeAddresses,
            java.util.SortedSet<String> unpublished) {
        this(endpoints, egressOwner, nodeAddresses, unpublished, Map.of());
    }

    /** These gateway nodes, with the backends reached through a node role. */
    public GatewayNodes withBackendNodes(Map<IpAddress, IpAddress> backends) {
        return new GatewayNodes(endpoints, egressOwner, nodeAddresses, unpublished, backends);
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

    /** The endpoints the other clusters may tunnel to, by node name: those not {@link #unpublished}. */
    public Map<String, IpAddress> publishedEndpoints() {
        var out = new TreeMap<>(endpoints);
        out.keySet().removeAll(unpublished);
        return java.util.Collections.unmodifiableMap(out);
    }

    /** {@link #of(List, Optional, Optional)} where nothing says which gateways' Pods run. */
    public static GatewayNodes of(List<GatewayNode> nodes, Optional<String> holder) {
        return of(nodes, holder, Optional.empty());
    }

    /**
     * The gateway nodes among {@code nodes}: those whose gateway wrote its identity and a tunnel endpoint, and still runs
     * there. An endpoint two such nodes claim is left out of both (packets from it could not be told apart); the owner is the node whose
     * gateway's identity is {@code holder}; every node's IPv4 InternalIP is a source steered packets may come from.
     *
     * @param gatewayPods the running Pods in the gateways' namespace, by name, with the node each runs on (a gateway's
     *     identity is its Pod's name); empty when not known, and then no description is judged left behind
     */
    public static GatewayNodes of(
            List<GatewayNode> nodes, Optional<String> holder, Optional<Map<String, String>> gatewayPods) {
        Map<String, IpAddress> endpoints = new TreeMap<>();
        Map<IpAddress, Integer> claims = new java.util.HashMap<>();
        for (GatewayNode n : nodes) {
            if (n.gatewayIdentity().isPresent() && n.tunnelEndpoint().isPresent() && !leftBehind(n, gatewayPods)) {
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
        var unpublished = new java.util.TreeSet<String>();
        nodes.stream()
                .filter(n -> endpoints.containsKey(n.name()) && !n.ready())
                .forEach(n -> unpublished.add(n.name()));
        return new GatewayNodes(endpoints, owner, addresses, unpublished);
    }

    /**
     * Whether {@code n}'s description was left behind: the gateway it names (its identity is its Pod's name) runs on no
     * node, or on another one. Not accepted, steered to or published: no gateway is there to take anything. Its claim
     * on an endpoint does not count either, so a live gateway that took the address over keeps it. Never judged while
     * the Pods are not known.
     */
    private static boolean leftBehind(GatewayNode n, Optional<Map<String, String>> gatewayPods) {
        return gatewayPods
                .map(pods -> !n.name().equals(pods.get(n.gatewayIdentity().orElseThrow())))
                .orElse(false);
    }
}
