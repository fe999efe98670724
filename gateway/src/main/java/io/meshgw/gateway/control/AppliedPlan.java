package io.meshgw.gateway.control;

import io.meshgw.operator.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The plan the last complete pass applied to this node, for the admin API: what is translated, announced and
 * published, and each object's outcome. A replica that does not hold the Lease serves no egress address, and a
 * drained node announces no VIP, so neither is in its plan. Empty until the first pass.
 */
@ApplicationScoped
public class AppliedPlan {

    private volatile Plan plan = Plan.EMPTY;
    private volatile boolean applied;

    void set(Plan plan) {
        this.plan = plan;
        this.applied = true;
    }

    public Plan get() {
        return plan;
    }

    /** Whether any pass has applied a plan since the gateway started. */
    public boolean applied() {
        return applied;
    }
}
