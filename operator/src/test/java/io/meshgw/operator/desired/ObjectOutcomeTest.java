package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectOutcomeTest {
    static final ResourceRef REF = new ResourceRef("EgressIdentity", new ObjectKey("pay", "billing"));

    static ObjectOutcome outcome(ConditionState... conditions) {
        return new ObjectOutcome(REF, 1, List.of(conditions), new StatusFields.None());
    }

    @Test
    void theHeadlineIsALostConflictThenNotReadyThenDegraded() {
        var lost = outcome(
                ConditionState.ready(false, "AddressInUse", "held by pay/audit"),
                ConditionState.conflict(true, "AddressInUse", "198.51.100.2 is held by pay/audit"));
        assertThat(lost.conflict()).isTrue();
        assertThat(lost.ready()).isFalse();
        assertThat(lost.message()).isEqualTo("198.51.100.2 is held by pay/audit");

        var waiting = outcome(
                ConditionState.ready(false, "PoolNotReady", "pool egress is not ready"),
                ConditionState.conflict(false, "NoConflict", "none"));
        assertThat(waiting.reason()).isEqualTo("PoolNotReady");

        var degraded = outcome(
                ConditionState.ready(true, "Assigned", "source 198.51.100.0"),
                ConditionState.degraded(true, "NoReadyBackends", "no cluster has a ready backend"));
        assertThat(degraded.ready()).isTrue();
        assertThat(degraded.degraded()).isTrue();
        assertThat(degraded.reason()).isEqualTo("NoReadyBackends");

        var fine = outcome(
                ConditionState.ready(true, "Assigned", "source 198.51.100.0"),
                ConditionState.degraded(false, "NoSharedPods", "none shared"));
        assertThat(fine.reason()).isEqualTo("Assigned");
        assertThat(outcome().headline().status()).isEqualTo("Unknown");
    }
}
