package io.meshgw.gateway.control;

import io.meshgw.operator.plan.Plan;

/** An {@link AppliedPlan} holding a given plan, for tests that replace the bean with QuarkusMock. */
public final class AppliedPlans {

    private AppliedPlans() {}

    public static AppliedPlan of(Plan plan) {
        AppliedPlan applied = new AppliedPlan();
        applied.set(plan);
        return applied;
    }
}
