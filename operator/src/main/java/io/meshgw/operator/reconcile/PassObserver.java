package io.meshgw.operator.reconcile;

import io.meshgw.operator.desired.DesiredState;
import java.time.Duration;

/** Told about every reconcile pass the leader completes: for metrics, and for whatever serves the desired state. */
@FunctionalInterface
public interface PassObserver {

    PassObserver NONE = (state, took) -> {};

    /**
     * @param state the desired state the pass applied
     * @param took from reading the snapshot to the last status write
     */
    void passed(DesiredState state, Duration took);
}
