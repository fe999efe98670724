package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.GatewayNodes;
import io.meshgw.operator.plan.NodeEgress.SteeredPod;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeEgressPlannerTest {
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");
    static final ObjectKey TAX = new ObjectKey("pay", "tax");
    static final IpAddress OWNER = IpAddress.parse("10.1.0.1");

    static EgressRule rule(ObjectKey key, int identity, String destination, String... pods) {
        return new EgressRule(
                key,
                identity,
                IpAddress.parse("198.51.100.1"),
                List.of(IpPrefix.parse(destination)),
                List.of(pods).stream().map(IpAddress::parse).toList(),
                List.of());
    }

    static Plan plan(Optional<IpAddress> owner, EgressRule... rules) {
        var egress = new java.util.LinkedHashMap<ObjectKey, EgressRule>();
        for (var r : rules) egress.put(r.key(), r);
        return new Plan(Map.of(), Map.of(), Map.of(), egress, Map.of(), Map.of(), List.of())
                .withGateways(new GatewayNodes(Map.of("node-a", OWNER), owner));
    }

    static Pod on(String node, String name, String ip) {
        var p = pod("pay", name, "billing", Map.of(), ip);
        p.getSpec().setNodeName(node);
        return p;
    }

    @Test
    void onlyThePodsRunningOnTheNodeAreSteeredTowardTheirOwnIdentitiesDestinations() {
        var plan = plan(
                Optional.of(OWNER),
                rule(BILLING, 300, "10.20.0.0/16", "10.0.0.1", "10.0.0.2"),
                rule(TAX, 301, "10.30.0.0/16", "10.0.0.3"));
        var here = on("node-c", "b-1", "10.0.0.1");
        var elsewhere = on("node-d", "b-2", "10.0.0.2");
        var taxElsewhere = on("node-d", "t-1", "10.0.0.3");
        var stopping = on("node-c", "b-3", "10.0.0.4");
        stopping.getStatus().setPhase("Succeeded");

        var egress = NodeEgressPlanner.of(plan, List.of(here, elsewhere, taxElsewhere, stopping), "node-c");

        assertThat(egress.pods())
                .isEqualTo(Map.of(
                        IpAddress.parse("10.0.0.1"),
                        new SteeredPod(new ObjectKey("pay", "b-1"), BILLING, 300, Optional.of(OWNER))));
        // tax keeps no pod here: its destinations are not steered from this node.
        assertThat(egress.destinations()).containsExactly(IpPrefix.parse("10.20.0.0/16"));
    }

    @Test
    void aPodWhoseAddressAFinishedPodOnThisNodeOnceHadIsNotTakenForIt() {
        // The address is billing's pod's now, on node-d; a pod that finished on node-c had it before.
        var plan = plan(Optional.of(OWNER), rule(BILLING, 300, "10.20.0.0/16", "10.0.0.1"));
        var finished = on("node-c", "old", "10.0.0.1");
        finished.getStatus().setPhase("Failed");

        var egress = NodeEgressPlanner.of(plan, List.of(finished, on("node-d", "b-1", "10.0.0.1")), "node-c");
        assertThat(egress.pods()).isEmpty();
        assertThat(egress.destinations()).isEmpty();
        assertThat(egress.localPods())
                .as("nor is its IPIP decapsulated toward it")
                .isEmpty();
    }

    @Test
    void everyPodRunningOnTheNodeAndEveryGatewayNodeIsListedForTheFlowsTheGatewaysSendThere() {
        var plan = new Plan(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of())
                .withGateways(new GatewayNodes(
                        Map.of("node-a", OWNER, "node-b", IpAddress.parse("10.1.0.2")), Optional.of(OWNER)));
        var hostNetwork = on("node-c", "agent", "10.1.0.3");
        hostNetwork.getSpec().setHostNetwork(true);

        var egress = NodeEgressPlanner.of(
                plan,
                List.of(on("node-c", "web-1", "10.0.0.7"), on("node-d", "web-2", "10.0.0.8"), hostNetwork),
                "node-c");

        assertThat(egress.pods()).as("no identity: nothing steered").isEmpty();
        assertThat(egress.localPods()).containsExactly(IpAddress.parse("10.0.0.7"));
        assertThat(egress.gateways()).containsExactly(OWNER, IpAddress.parse("10.1.0.2"));
    }

    @Test
    void withNoOwnerKnownThePodsAreStillNamedSoTheirPacketsAreDropped() {
        var plan = plan(Optional.empty(), rule(BILLING, 300, "10.20.0.0/16", "10.0.0.1"));

        var egress = NodeEgressPlanner.of(plan, List.of(on("node-c", "b-1", "10.0.0.1")), "node-c");

        assertThat(egress.pods().get(IpAddress.parse("10.0.0.1")).owner()).isEmpty();
        assertThat(egress.destinations()).containsExactly(IpPrefix.parse("10.20.0.0/16"));
    }
}
