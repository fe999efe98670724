package io.meshgw.operator.plan;

import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv4Address;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Kubernetes node as far as planning cares: its name, labels, and the annotations a gateway on it writes.
 *
 * @param name the Node's name (the pod's {@code spec.nodeName})
 * @param labels the Node's labels; empty when the Node could not be read
 * @param annotations the Node's meshgw.io/ annotations; empty when the Node could not be read
 * @param addresses the Node's InternalIP addresses (status.addresses): where the node role on an ordinary node
 *     steers from, so the gateway nodes accept tunnelled packets from them
 * @param ready false when the Node's Ready condition is False or Unknown (the node controller's verdict on a node
 *     that stopped reporting); true when it is True or absent
 */
public record GatewayNode(
        String name,
        Map<String, String> labels,
        Map<String, String> annotations,
        java.util.List<IpAddress> addresses,
        boolean ready) {

    /**
     * The Lease identity of the gateway replica on this node, written by that replica on its own Node: it tells the
     * other replicas which node holds the Lease, and so serves the egress addresses.
     */
    public static final String GATEWAY_IDENTITY = "meshgw.io/gateway-identity";

    /**
     * The tunnel endpoint of the gateway on this node (an IPv4 address), written by that gateway on its own Node: the
     * other gateway nodes of the cluster steer egress to it and accept steered packets from it, and the Lease holder
     * publishes it to the other clusters.
     */
    public static final String TUNNEL_ENDPOINT = "meshgw.io/tunnel-endpoint";

    /**
     * The well-known label by which Kubernetes keeps a node out of external load balancers' backends (its value does
     * not matter). A gateway on such a node withdraws its VIP routes and keeps translating, so a node can be drained
     * for maintenance while the routers move its flows to the other gateways.
     */
    public static final String EXCLUDE_FROM_LOAD_BALANCERS = "node.kubernetes.io/exclude-from-external-load-balancers";

    public GatewayNode {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        addresses = java.util.List.copyOf(addresses);
    }

    /** A node known by its labels and annotations, without addresses, ready. */
    public GatewayNode(String name, Map<String, String> labels, Map<String, String> annotations) {
        this(name, labels, annotations, java.util.List.of(), true);
    }

    /** A node known by its labels alone. */
    public GatewayNode(String name, Map<String, String> labels) {
        this(name, labels, Map.of(), java.util.List.of(), true);
    }

    /** The identity of the gateway replica on this node, when one wrote it. */
    public Optional<String> gatewayIdentity() {
        return Optional.ofNullable(annotations.get(GATEWAY_IDENTITY)).filter(s -> !s.isBlank());
    }

    /** The tunnel endpoint its gateway wrote, when it wrote a valid IPv4 address; anything else names none. */
    public Optional<IpAddress> tunnelEndpoint() {
        String text = annotations.get(TUNNEL_ENDPOINT);
        if (text == null) return Optional.empty();
        try {
            return Optional.of(Ipv4Address.parse(text.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether this node takes no new traffic: it announces no VIP. */
    public boolean drained() {
        return labels.containsKey(EXCLUDE_FROM_LOAD_BALANCERS);
    }
}
