package io.meshgw.gateway.control;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.datapath.DatapathAdapter;
import io.meshgw.gateway.datapath.NodeRoleService;
import io.meshgw.gateway.datapath.Tunnels;
import io.meshgw.operator.plan.Plan;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet4Address;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Says which replica leads and what this one serves, beside the checks that decide readiness: its node, whether it
 * holds the Lease, the Lease holder as it last saw it, and from the last plan it applied to its node the routes it
 * originates, the egress addresses it translates (only the Lease holder's plan has any), and where it steers the
 * egress it does not translate. Never down for a gateway: leading or not, a replica serves its node. In node mode it
 * says how many of the node's pods are steered and where, and is down until the first pass has written them, and
 * while the node's configured address is not one the gateways accept (the problem is in the data).
 */
@Readiness
@ApplicationScoped
public class ControlPlaneReadiness implements HealthCheck {

    private final ControlPlane controlPlane;
    private final AppliedPlan applied;
    /** This node's tunnel endpoint, which steering needs. */
    private final Optional<Inet4Address> localEndpoint;

    private final NodeRoleService nodeRole;

    ControlPlaneReadiness(
            ControlPlane controlPlane, AppliedPlan applied, GatewayConfig config, NodeRoleService nodeRole) {
        this.controlPlane = controlPlane;
        this.nodeRole = nodeRole;
        this.applied = applied;
        this.localEndpoint = Tunnels.endpoint(config.datapath().tunnelEndpoint());
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("control-plane")
                .withData("mode", controlPlane.mode())
                .withData("replica", controlPlane.identity())
                .withData("leading", controlPlane.leading())
                .withData("leader", controlPlane.leader().orElse("unknown"))
                .withData("node", controlPlane.node().orElse("not set"));
        if (controlPlane.mode().equals("node")) {
            // Ready once the first pass has written the node's steering (the informers have listed).
            b.withData("nodeRolePods", nodeRole.applied().pods().size())
                    .withData("egressSteeredTo", nodeRole.steeredTo());
            nodeRole.problem().ifPresent(p -> b.withData("problem", p));
            return b.status(nodeRole.passed() && nodeRole.problem().isEmpty()).build();
        }
        Plan plan = applied.get();
        b.withData("routes", plan.announcements().size())
                .withData(
                        "egressSources",
                        plan.egressServedHere().findAny().isEmpty()
                                ? "none"
                                : plan.egressServedHere()
                                        .map(r -> r.source().toString())
                                        .sorted()
                                        .collect(Collectors.joining(",")))
                .withData("egressSteeredTo", egressSteeredTo(plan, localEndpoint));
        return b.up().build();
    }

    /**
     * Where this node sends its identities' egress when another node serves it, as its datapath is told: the Lease
     * holder's tunnel endpoint, "dropped" while there is none to steer to, "none" where this node translates its
     * egress itself (or has none).
     */
    static String egressSteeredTo(Plan plan, Optional<Inet4Address> localEndpoint) {
        var owners =
                DatapathAdapter.steering(plan, localEndpoint).ownedElsewhere().values();
        if (owners.isEmpty()) {
            return "none";
        }
        return owners.iterator().next().map(Inet4Address::getHostAddress).orElse("dropped");
    }
}
