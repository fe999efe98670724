package io.meshgw.operator.plan;

import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import java.util.Optional;

/**
 * What one object's status should say after this pass, for the generation the model looked at. The operator writes
 * it as status; the gateway's standalone mode, which has no status to write, logs and reports it.
 */
public record ObjectOutcome(ResourceRef ref, long generation, List<ConditionState> conditions, StatusFields fields) {
    public ObjectOutcome {
        conditions = List.copyOf(conditions);
    }

    public Optional<ConditionState> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** True when the object was applied; false when left un-applied (invalid, conflicting, waiting). */
    public boolean ready() {
        return isTrue(ConditionState.READY);
    }

    /** True when the object lost a conflict over a name, address or id (Conflict=True). */
    public boolean conflict() {
        return isTrue(ConditionState.CONFLICT);
    }

    /** True when the object is applied but not fully working (Degraded=True). */
    public boolean degraded() {
        return isTrue(ConditionState.DEGRADED);
    }

    /** The reason of the {@link #headline} condition, e.g. {@code AddressInUse}. */
    public String reason() {
        return headline().reason();
    }

    /** The message of the {@link #headline} condition. */
    public String message() {
        return headline().message();
    }

    /**
     * The condition that says most about the object, for a one-line report: a true Conflict, else a false Ready,
     * else a true Degraded, else Ready.
     */
    public ConditionState headline() {
        if (conflict()) return condition(ConditionState.CONFLICT).orElseThrow();
        var ready = condition(ConditionState.READY)
                .orElseGet(() -> ConditionState.unknown(ConditionState.READY, "no Ready condition"));
        if (!ready.isTrue()) return ready;
        return degraded() ? condition(ConditionState.DEGRADED).orElseThrow() : ready;
    }

    private boolean isTrue(String type) {
        return condition(type).map(ConditionState::isTrue).orElse(false);
    }
}
