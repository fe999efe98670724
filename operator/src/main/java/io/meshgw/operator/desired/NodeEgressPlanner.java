package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Pod;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.plan.NodeEgress.SteeredPod;
import io.meshgw.operator.plan.Plan;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A plan's egress as the node role on one ordinary node steers it ({@link NodeEgress}). The plan is the one every
 * gateway computes, so which identity keeps a pod, and which identities apply at all, is decided once, the same way
 * everywhere; this only picks the pods running on the node, and gives each the node that serves the egress addresses
 * ({@link io.meshgw.operator.plan.GatewayNodes#egressOwner}). Every pod running on the node, and every gateway node's
 * endpoint, is listed too: the gateways send the flows they translate toward those pods there in IPIP.
 */
public final class NodeEgressPlanner {

    private NodeEgressPlanner() {}

    /**
     * @param plan a pass's plan, with the cluster's gateway nodes
     * @param pods the cluster's Pods (those on other nodes are skipped)
     * @param node this node's name
     */
    public static NodeEgress of(Plan plan, List<Pod> pods, String node) {
        Map<IpAddress, EgressRule> rules = new HashMap<>();
        plan.egressRules().values().forEach(r -> r.podAddresses().forEach(a -> rules.put(a, r)));
        var owner = plan.gateways().egressOwner();
        var steered = new TreeMap<IpAddress, SteeredPod>();
        var destinations = new TreeSet<IpPrefix>();
        var local = new TreeSet<IpAddress>();
        for (Pod pod : pods) {
            if (!onNode(pod, node) || !EgressPods.eligible(pod)) continue;
            for (IpAddress address : EgressPods.addresses(pod)) {
                local.add(address);
                EgressRule rule = rules.get(address);
                if (rule == null) continue;
                steered.put(address, new SteeredPod(Metadata.key(pod), rule.key(), rule.identity(), owner));
                destinations.addAll(rule.destinations());
            }
        }
        return new NodeEgress(
                steered,
                List.copyOf(destinations),
                List.of(),
                List.copyOf(local),
                List.copyOf(plan.gateways().endpoints().values()));
    }

    private static boolean onNode(Pod pod, String node) {
        return pod.getSpec() != null && node.equals(pod.getSpec().getNodeName());
    }
}
