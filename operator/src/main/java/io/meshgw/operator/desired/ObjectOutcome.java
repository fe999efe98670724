package io.meshgw.operator.desired;

import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import java.util.Optional;

/** What one object's status should say after this pass, for the generation the model looked at. */
public record ObjectOutcome(ResourceRef ref, long generation, List<ConditionState> conditions, StatusFields fields) {
    public ObjectOutcome {
        conditions = List.copyOf(conditions);
    }

    public Optional<ConditionState> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** True when the object was applied; false when left un-applied (invalid, conflicting, waiting). */
    public boolean ready() {
        return condition(ConditionState.READY).map(ConditionState::isTrue).orElse(false);
    }
}
