package io.meshgw.operator.reconcile;

import io.meshgw.operator.plan.Plan;
import java.time.Duration;

/** Told about every pass that applied its plan: for metrics and the admin API. */
@FunctionalInterface
public interface PassObserver {

    PassObserver NONE = (plan, took) -> {};

    /**
     * @param plan the plan the pass applied to this node (without the egress of a replica that does not hold the
     *     Lease, without VIP routes on a drained node)
     * @param took from reading the inputs to the last engine's write
     */
    void passed(Plan plan, Duration took);
}
