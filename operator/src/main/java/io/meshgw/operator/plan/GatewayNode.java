package io.meshgw.operator.plan;

import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes node a gateway replica runs on, as far as planning cares: its name and labels.
 *
 * @param name the Node's name (the pod's {@code spec.nodeName})
 * @param labels the Node's labels; empty when the Node could not be read
 */
public record GatewayNode(String name, Map<String, String> labels) {

    /**
     * The well-known label by which Kubernetes keeps a node out of external load balancers' backends (its value does
     * not matter). A gateway on such a node withdraws its VIP routes and keeps translating, so a node can be drained
     * for maintenance while the routers move its flows to the other gateways.
     */
    public static final String EXCLUDE_FROM_LOAD_BALANCERS = "node.kubernetes.io/exclude-from-external-load-balancers";

    public GatewayNode {
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }

    /** Whether this node takes no new traffic: it announces no VIP. */
    public boolean drained() {
        return labels.containsKey(EXCLUDE_FROM_LOAD_BALANCERS);
    }
}
