package io.meshgw.operator.model;

import io.meshgw.operator.crd.NodeSelector;
import java.util.List;
import java.util.Map;

/**
 * Label selectors ({@link NodeSelector}, the shape of metav1.LabelSelector) as the API server reads them: {@code matchLabels} and every
 * {@code matchExpressions} requirement must hold; a selector with neither selects everything.
 */
public final class LabelSelectors {
    private LabelSelectors() {}

    /** The rules of {@code metav1.LabelSelector} the schema alone cannot say, reported under {@code path}. */
    public static Validation validate(String path, NodeSelector selector) {
        if (selector == null) return Validation.OK;
        var result = Validation.OK;
        List<NodeSelector.Requirement> expressions =
                selector.matchExpressions == null ? List.of() : selector.matchExpressions;
        for (int i = 0; i < expressions.size(); i++) {
            var r = expressions.get(i);
            var at = path + ".matchExpressions[" + i + "]";
            List<String> values = r.values == null ? List.of() : r.values;
            if (r.key == null || r.key.isEmpty()) result = result.and(Validation.of(at + ".key", "is required"));
            switch (r.operator == null ? "" : r.operator) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        result = result.and(Validation.of(at + ".values", "must not be empty for " + r.operator));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        result = result.and(Validation.of(at + ".values", "must be empty for " + r.operator));
                    }
                }
                default ->
                    result = result.and(Validation.of(
                            at + ".operator", "'" + r.operator + "' is not one of In, NotIn, Exists, DoesNotExist"));
            }
        }
        return result;
    }

    /** Whether {@code selector}, valid by {@link #validate}, selects an object with {@code labels}; null selects all. */
    public static boolean matches(NodeSelector selector, Map<String, String> labels) {
        if (selector == null) return true;
        if (selector.matchLabels != null) {
            for (var e : selector.matchLabels.entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
        }
        if (selector.matchExpressions != null) {
            for (var r : selector.matchExpressions) {
                if (!matches(r, labels)) return false;
            }
        }
        return true;
    }

    private static boolean matches(NodeSelector.Requirement r, Map<String, String> labels) {
        String value = labels.get(r.key);
        return switch (r.operator) {
            case "In" -> value != null && r.values.contains(value);
            case "NotIn" -> value == null || !r.values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalArgumentException("operator " + r.operator + " (validate first)");
        };
    }
}
