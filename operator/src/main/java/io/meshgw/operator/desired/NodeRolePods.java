package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Pod;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv4Address;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The node role's Pods, as far as the gateways care: on which nodes one is ready, at which address. */
public final class NodeRolePods {

    /** The label the chart gives the node role's Pods (and nothing else of meshgw's). */
    static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    static final String COMPONENT = "node-role";

    private NodeRolePods() {}

    /**
     * The nodes where a node role Pod of {@code namespace} (the gateways', where their Lease is) is Running and Ready,
     * with its address: its {@code status.hostIP}, which it takes as {@code meshgw.node-role.address} and decapsulates
     * at. Ready means its first pass wrote its maps, so a flow sent there in IPIP is decapsulated; a node role that is
     * starting, failing or being deleted gets nothing, and its node's backends stay routed plainly. A Pod without an IPv4
     * hostIP is left out (the tunnel is IPv4).
     */
    public static Map<String, IpAddress> ready(List<Pod> pods, String namespace) {
        Map<String, IpAddress> out = new TreeMap<>();
        pods.stream()
                .filter(p -> GatewayPods.runsIn(p, namespace)
                        && p.getMetadata().getLabels() != null
                        && COMPONENT.equals(p.getMetadata().getLabels().get(COMPONENT_LABEL))
                        && ready(p))
                .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                .forEach(p -> address(p.getStatus().getHostIP())
                        .ifPresent(a -> out.putIfAbsent(p.getSpec().getNodeName(), a)));
        return out;
    }

    private static boolean ready(Pod p) {
        return p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static java.util.Optional<IpAddress> address(String hostIp) {
        return IpAddress.tryParse(hostIp).filter(Ipv4Address.class::isInstance);
    }
}
