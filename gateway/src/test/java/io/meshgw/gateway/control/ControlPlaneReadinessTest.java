package io.meshgw.gateway.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.GatewayNodes;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PlanParts;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Ipv4Address;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What readiness says about the egress a node does not translate itself: where its datapath steers it. */
class ControlPlaneReadinessTest {

    @Test
    void aNodeThatDoesNotServeEgressSaysWhereItSteersItOrThatItDropsIt() throws Exception {
        var self = (Inet4Address) InetAddress.getByName("10.1.0.1");
        Plan withEgress = new PlanParts()
                .egress(new EgressRule(
                        new ObjectKey("shop", "batch"),
                        400,
                        IpAddress.parse("203.0.113.1"),
                        List.of(IpPrefix.parse("192.0.2.0/24")),
                        List.of(IpAddress.parse("10.1.0.5")),
                        List.of()))
                .plan();
        var holder = new GatewayNodes(
                Map.of("node-1", Ipv4Address.of(self), "node-2", Ipv4Address.parse("10.1.0.2")),
                Optional.of(Ipv4Address.parse("10.1.0.2")));

        assertThat(ControlPlaneReadiness.egressSteeredTo(withEgress.withGateways(holder), Optional.of(self)))
                .as("the Lease holder translates it")
                .isEqualTo("none");
        assertThat(ControlPlaneReadiness.egressSteeredTo(
                        withEgress.withGateways(holder).withEgressServedElsewhere(), Optional.of(self)))
                .isEqualTo("10.1.0.2");
        assertThat(ControlPlaneReadiness.egressSteeredTo(
                        withEgress
                                .withGateways(new GatewayNodes(holder.endpoints(), Optional.empty()))
                                .withEgressServedElsewhere(),
                        Optional.of(self)))
                .isEqualTo("dropped");
        assertThat(ControlPlaneReadiness.egressSteeredTo(
                        withEgress.withGateways(holder).withEgressServedElsewhere(), Optional.empty()))
                .as("no endpoint of its own to steer from")
                .isEqualTo("dropped");
        assertThat(ControlPlaneReadiness.egressSteeredTo(Plan.EMPTY.withEgressServedElsewhere(), Optional.of(self)))
                .as("no egress at all")
                .isEqualTo("none");
    }
}
