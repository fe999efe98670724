package io.meshgw.gateway.control;

import io.meshgw.operator.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says which replica leads and what this one serves, beside the checks that decide readiness: its node, whether it
 * holds the Lease, the Lease holder as it last saw it, and from the last plan it applied to its node the routes it
 * originates and the egress addresses it translates (only the Lease holder's plan has any). Never down: leading or
 * not, a replica serves its node.
 */
@Readiness
@ApplicationScoped
public class ControlPlaneReadiness implements HealthCheck {

    private final ControlPlane controlPlane;
    private final AppliedPlan applied;

    ControlPlaneReadiness(ControlPlane controlPlane, AppliedPlan applied) {
        this.controlPlane = controlPlane;
        this.applied = applied;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("control-plane")
                .withData("mode", controlPlane.mode())
                .withData("replica", controlPlane.identity())
                .withData("leading", controlPlane.leading())
                .withData("leader", controlPlane.leader().orElse("unknown"))
                .withData("node", controlPlane.node().orElse("not set"));
        Plan plan = applied.get();
        b.withData("routes", plan.announcements().size())
                .withData(
                        "egressSources",
                        plan.egressServedHere().findAny().isEmpty()
                                ? "none"
                                : plan.egressServedHere()
                                        .map(r -> r.source().toString())
                                        .sorted()
                                        .collect(Collectors.joining(",")));
        return b.up().build();
    }
}
