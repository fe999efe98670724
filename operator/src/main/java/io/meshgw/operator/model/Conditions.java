package io.meshgw.operator.model;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Builds and merges standard Kubernetes conditions (metav1.Condition semantics). */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    private Conditions() {}

    public static Condition of(
            String type, boolean status, String reason, String message, long generation, Instant now) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status ? TRUE : FALSE)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(now.toString())
                .build();
    }

    /**
     * Returns a new list with {@code update} replacing the condition of the same type (appended if absent). When the
     * status did not change, the old lastTransitionTime is kept: it records when the status last flipped, not when
     * the operator last looked. Other conditions and the order are kept.
     */
    public static List<Condition> merge(List<Condition> current, Condition update) {
        var out = new ArrayList<Condition>(current.size() + 1);
        boolean replaced = false;
        for (var existing : current) {
            if (!existing.getType().equals(update.getType())) {
                out.add(existing);
                continue;
            }
            var merged = new ConditionBuilder(update).build();
            if (Objects.equals(existing.getStatus(), update.getStatus())) {
                merged.setLastTransitionTime(existing.getLastTransitionTime());
            }
            out.add(merged);
            replaced = true;
        }
        if (!replaced) out.add(update);
        return out;
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
