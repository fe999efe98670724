package io.meshgw.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes label selectors (metav1.LabelSelector) as the API server reads them: {@code matchLabels} and every
 * {@code matchExpressions} requirement must hold; a selector with neither selects everything.
 */
public final class LabelSelectors {
    private LabelSelectors() {}

    /** The rules of {@code metav1.LabelSelector} the schema alone cannot say, reported under {@code path}. */
    public static Validation validate(String path, LabelSelector selector) {
        if (selector == null) return Validation.OK;
        var result = Validation.OK;
        List<LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            var r = expressions.get(i);
            var at = path + ".matchExpressions[" + i + "]";
            List<String> values = r.getValues() == null ? List.of() : r.getValues();
            if (r.getKey() == null || r.getKey().isEmpty())
                result = result.and(Validation.of(at + ".key", "is required"));
            switch (r.getOperator() == null ? "" : r.getOperator()) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        result = result.and(Validation.of(at + ".values", "must not be empty for " + r.getOperator()));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        result = result.and(Validation.of(at + ".values", "must be empty for " + r.getOperator()));
                    }
                }
                default ->
                    result = result.and(Validation.of(
                            at + ".operator",
                            "'" + r.getOperator() + "' is not one of In, NotIn, Exists, DoesNotExist"));
            }
        }
        return result;
    }

    /** Whether {@code selector}, valid by {@link #validate}, selects an object with {@code labels}; null selects all. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) return true;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (var r : selector.getMatchExpressions()) {
                if (!matches(r, labels)) return false;
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && r.getValues().contains(value);
            case "NotIn" -> value == null || !r.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalArgumentException("operator " + r.getOperator() + " (validate first)");
        };
    }
}
