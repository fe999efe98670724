package io.meshgw.deploy;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a pod's nodeSelector and required node affinity admit a node with some labels, as the scheduler (and the
 * DaemonSet controller) decide it: every nodeSelector label, and one of the affinity's terms, each term the AND of its
 * expressions. Taints are left out; the operators the chart never writes (Gt, Lt) and matchFields are refused rather
 * than guessed.
 */
final class NodePlacement {
    private NodePlacement() {}

    static boolean admits(PodSpec pod, Map<String, String> nodeLabels) {
        if (pod.getNodeSelector() != null
                && !nodeLabels.entrySet().containsAll(pod.getNodeSelector().entrySet())) {
            return false;
        }
        var required = Optional.ofNullable(pod.getAffinity())
                .map(Affinity::getNodeAffinity)
                .map(NodeAffinity::getRequiredDuringSchedulingIgnoredDuringExecution);
        return required.isEmpty()
                || required.get().getNodeSelectorTerms().stream().anyMatch(t -> matches(t, nodeLabels));
    }

    private static boolean matches(NodeSelectorTerm term, Map<String, String> nodeLabels) {
        if (term.getMatchFields() != null && !term.getMatchFields().isEmpty()) {
            throw new UnsupportedOperationException("matchFields " + term.getMatchFields());
        }
        // An empty term matches no node.
        return term.getMatchExpressions() != null
                && !term.getMatchExpressions().isEmpty()
                && term.getMatchExpressions().stream().allMatch(e -> matches(e, nodeLabels));
    }

    private static boolean matches(NodeSelectorRequirement requirement, Map<String, String> nodeLabels) {
        String value = nodeLabels.get(requirement.getKey());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new UnsupportedOperationException("operator " + requirement.getOperator());
        };
    }
}
