package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The gateways' own Pods, as far as planning cares: which run, and on which node. */
public final class GatewayPods {

    private GatewayPods() {}

    /**
     * The Pods of {@code namespace} (the gateways', where their Lease is) that run on a node and are not being deleted,
     * by name, with their node: a gateway's identity is its Pod's name, so a Node describing a gateway with no such Pod
     * on it describes one that has gone.
     */
    public static Map<String, String> running(List<Pod> pods, String namespace) {
        Map<String, String> out = new TreeMap<>();
        for (Pod p : pods) {
            if (runsIn(p, namespace))
                out.put(p.getMetadata().getName(), p.getSpec().getNodeName());
        }
        return out;
    }

    /** Whether {@code p} is a Pod of {@code namespace} running on a node, not being deleted. */
    static boolean runsIn(Pod p, String namespace) {
        return p.getMetadata() != null
                && namespace.equals(p.getMetadata().getNamespace())
                && !Metadata.deleting(p)
                && p.getSpec() != null
                && p.getSpec().getNodeName() != null
                && p.getStatus() != null
                && "Running".equals(p.getStatus().getPhase());
    }
}
