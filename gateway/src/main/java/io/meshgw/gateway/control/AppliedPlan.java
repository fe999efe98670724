package io.meshgw.gateway.control;

import io.meshgw.operator.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The plan the last complete pass applied, for the admin API: what is translated, announced and published, and
 * each object's outcome. Empty until the first pass, and on a gateway that runs no passes (a Kubernetes follower).
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
