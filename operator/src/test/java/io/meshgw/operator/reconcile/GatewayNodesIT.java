package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.plan.Plan;
import io.meshgw.types.Ipv4Address;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on two nodes against one API server: each describes its gateway on its own Node (identity and tunnel
 * endpoint), and the node that does not hold the Lease plans its egress as served at the holder's endpoint, which
 * moves with the Lease.
 */
@MockApiServer
class GatewayNodesIT {
    KubernetesClient client;
    final FakeGateway gatewayA = FakeGateway.create();
    final FakeGateway gatewayB = FakeGateway.create();
    LeaderElectedOperator a;
    LeaderElectedOperator b;

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    void node(String name, Map<String, String> annotations) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withAnnotations(annotations)
                        .endMetadata()
                        .build())
                .create();
    }

    Map<String, String> annotations(String node) {
        var n = client.nodes().withName(node).get();
        return n.getMetadata().getAnnotations() == null
                ? Map.of()
                : n.getMetadata().getAnnotations();
    }

    static Optional<Plan> lastPass(FakeGateway gateway) {
        var passes = gateway.passes();
        return passes.isEmpty() ? Optional.empty() : Optional.of(passes.getLast());
    }

    static OperatorOptions options(String identity, String node, String endpoint) {
        return LeaderElectionIT.options(identity).withNode(node).withTunnelEndpoint(Ipv4Address.parse(endpoint));
    }

    @Test
    void eachReplicaDescribesItsGatewayOnItsNodeAndTheOtherSteersToTheLeaseHolder() {
        node("node-a", Map.of());
        // A stale description from an earlier gateway on node-b: its replica writes its own over it.
        node("node-b", Map.of(GatewayNode.GATEWAY_IDENTITY, "gone", GatewayNode.TUNNEL_ENDPOINT, "10.9.9.9"));
        a = new LeaderElectedOperator(client, gatewayA.ports(), options("replica-a", "node-a", "10.1.0.1"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(client, gatewayB.ports(), options("replica-b", "node-b", "10.1.0.2"));
        b.start();

        Await.until(
                "both Nodes describe their gateways",
                () -> annotations("node-a")
                                .equals(Map.of(
                                        GatewayNode.GATEWAY_IDENTITY, "replica-a",
                                        GatewayNode.TUNNEL_ENDPOINT, "10.1.0.1"))
                        && annotations("node-b")
                                .equals(Map.of(
                                        GatewayNode.GATEWAY_IDENTITY, "replica-b",
                                        GatewayNode.TUNNEL_ENDPOINT, "10.1.0.2")));
        Await.until(
                "node-b plans its egress as served at node-a's endpoint",
                () -> lastPass(gatewayB)
                        .filter(p -> p.gateways().egressOwner().equals(Optional.of(Ipv4Address.parse("10.1.0.1")))
                                && p.gateways().endpoints().size() == 2)
                        .isPresent());
        Await.until(
                "node-a serves it, and knows node-b's endpoint",
                () -> lastPass(gatewayA)
                        .filter(p -> p.gateways().egressOwner().equals(Optional.of(Ipv4Address.parse("10.1.0.1")))
                                && Ipv4Address.parse("10.1.0.2")
                                        .equals(p.gateways().endpoints().get("node-b")))
                        .isPresent());

        // The Lease moves: so does the egress, and node-b serves it.
        a.close();
        a = null;
        Await.until("replica-b leads", b::leading);
        Await.until(
                "node-b serves egress at its own endpoint",
                () -> lastPass(gatewayB)
                        .filter(p -> p.gateways().egressOwner().equals(Optional.of(Ipv4Address.parse("10.1.0.2"))))
                        .isPresent());
    }
}
