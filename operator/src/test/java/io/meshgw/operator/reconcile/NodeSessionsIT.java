package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.NodeSelector;
import io.meshgw.operator.desired.NodeRolePodsTest;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Ipv4Address;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on two nodes against one API server (the fabric8 mock server in CRUD mode): each reports its own
 * session in the BgpPeer's status.nodes, the Lease holder summarises them in Ready and removes the entry of a node that
 * is no longer selected, and a pass that changes nothing writes nothing. Each also describes its gateway on its own
 * Node, and the node that does not hold the Lease plans its egress as served at the holder's endpoint. A backend on an
 * ordinary node is tunnelled to the node role there while that one is Ready.
 */
@MockApiServer
class NodeSessionsIT {
    static final ObjectKey TOR = new ObjectKey("meshgw-system", "tor1");
    static final String RACK = "topology.example.com/rack";

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

    void node(String name, String rack) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels(RACK, rack)
                        .endMetadata()
                        .build())
                .create();
    }

    void relabel(String name, String rack) {
        Await.write(
                "labels of " + name,
                () -> client.nodes().withName(name).edit(n -> {
                    n.getMetadata().getLabels().put(RACK, rack);
                    return n;
                }));
    }

    BgpPeer rackPeer() {
        BgpPeer tor = peer("meshgw-system", "tor1", 1, "192.0.2.1", 65000);
        tor.getSpec().nodeSelector = new NodeSelector();
        tor.getSpec().nodeSelector.matchLabels = Map.of(RACK, "r1");
        return MockApi.create(client, tor);
    }

    BgpPeer read() {
        return client.resources(BgpPeer.class)
                .inNamespace(TOR.namespace())
                .withName(TOR.name())
                .get();
    }

    List<BgpPeerStatus.NodeSession> entries() {
        var status = read().getStatus();
        return status == null || status.nodes == null ? List.of() : status.nodes;
    }

    Optional<String> state(String node) {
        return entries().stream().filter(e -> node.equals(e.node)).findFirst().map(e -> e.sessionState);
    }

    Optional<io.fabric8.kubernetes.api.model.Condition> ready() {
        var status = read().getStatus();
        return status == null
                ? Optional.empty()
                : status.conditions.stream()
                        .filter(c -> c.getType().equals("Ready"))
                        .findFirst();
    }

    static PeerSession session(PeerSession.State state, long received) {
        return new PeerSession(
                state,
                state == PeerSession.State.Established
                        ? Optional.of(Instant.parse("2026-01-01T00:00:00Z"))
                        : Optional.empty(),
                received,
                received,
                1,
                state == PeerSession.State.Established ? Optional.empty() : Optional.of("connection refused"));
    }

    static OperatorOptions options(String identity, String node) {
        return LeaderElectionIT.options(identity).withNode(node);
    }

    @Test
    void eachNodeReportsItsOwnSessionAndTheLeaseHolderSummarisesAndPrunesThem() {
        node("node-a", "r1");
        node("node-b", "r1");
        rackPeer();
        a = new LeaderElectedOperator(client, gatewayA.ports(), options("replica-a", "node-a"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(client, gatewayB.ports(), options("replica-b", "node-b"));
        b.start();
        Await.until(
                "node-a runs the session", () -> gatewayA.bgp().appliedPeers().containsKey(TOR));
        Await.until(
                "node-b runs the session", () -> gatewayB.bgp().appliedPeers().containsKey(TOR));

        gatewayA.bgp().session(TOR, session(PeerSession.State.Established, 12));
        gatewayB.bgp().session(TOR, session(PeerSession.State.Active, 0));
        Await.until(
                "both nodes' entries, each with its own session",
                () -> state("node-a").equals(Optional.of("Established"))
                        && state("node-b").equals(Optional.of("Active")));
        var nodeA = entries().stream()
                .filter(e -> e.node.equals("node-a"))
                .findFirst()
                .orElseThrow();
        assertThat(nodeA.receivedPrefixes).isEqualTo(12);
        assertThat(nodeA.establishedSince).isEqualTo("2026-01-01T00:00:00Z");
        var nodeB = entries().stream()
                .filter(e -> e.node.equals("node-b"))
                .findFirst()
                .orElseThrow();
        assertThat(nodeB.lastError).isEqualTo("connection refused");
        Await.until(
                "Ready False, naming the node whose session is down",
                () -> ready().filter(c -> c.getStatus().equals("False")
                                && c.getMessage().contains("node-b (Active: connection refused)"))
                        .isPresent());

        gatewayB.bgp().session(TOR, session(PeerSession.State.Established, 12));
        Await.until(
                "Ready once every selected node is Established",
                () -> ready().filter(c ->
                                c.getStatus().equals("True") && c.getMessage().equals("Established on node-a, node-b"))
                        .isPresent());

        String version = read().getMetadata().getResourceVersion();
        int passesA = gatewayA.mesh().passes();
        int passesB = gatewayB.mesh().passes();
        Await.until(
                "both replicas ran three more passes",
                () -> gatewayA.mesh().passes() >= passesA + 3 && gatewayB.mesh().passes() >= passesB + 3);
        assertThat(read().getMetadata().getResourceVersion())
                .as("passes that change nothing write nothing")
                .isEqualTo(version);

        // node-b's gateway stops and its node leaves rack r1: only the Lease holder can remove its entry.
        b.close();
        b = null;
        relabel("node-b", "r2");
        Await.until(
                "node-b's entry removed by the Lease holder",
                () -> entries().stream().map(e -> e.node).toList().equals(List.of("node-a")));
        Await.until(
                "Ready summarises the nodes left",
                () -> ready().filter(c -> c.getMessage().equals("Established on node-a"))
                        .isPresent());
    }

    @Test
    void twoReplicasWritingAtOnceNeverLoseEachOthersEntries() throws Exception {
        rackPeer();
        var writerA = new NodeStatusWriter(client, "node-a");
        var writerB = new NodeStatusWriter(client, "node-b");

        // Both read the object before either wrote: the second to add its entry is refused, not written over.
        var stale = read();
        assertThat(writerA.report(stale, Optional.of(session(PeerSession.State.Active, 0))))
                .isTrue();
        assertThat(writerB.report(stale, Optional.of(session(PeerSession.State.Active, 0))))
                .as("an add over an object that moved")
                .isFalse();
        assertThat(writerB.report(read(), Optional.of(session(PeerSession.State.Active, 0))))
                .isTrue();
        assertThat(entries()).extracting(e -> e.node).containsExactly("node-a", "node-b");

        // Then both write at once, many times, each from whatever object it last read.
        var pool = Executors.newFixedThreadPool(2);
        var start = new CyclicBarrier(2);
        try {
            var results = List.of("node-a", "node-b").stream()
                    .map(node -> pool.submit(() -> {
                        var writer = node.equals("node-a") ? writerA : writerB;
                        start.await();
                        for (long n = 1; n <= 40; n++) {
                            var session = session(PeerSession.State.Established, n);
                            while (!writer.report(read(), Optional.of(session))) {
                                Thread.onSpinWait();
                            }
                        }
                        return null;
                    }))
                    .toList();
            for (var r : results) r.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(entries())
                .as("one entry per node, each with its writer's last write")
                .extracting(e -> e.node + "=" + e.receivedPrefixes)
                .containsExactly("node-a=40", "node-b=40");

        // A replica removing its entry while the other replaces its own from an object read before: the index the
        // replace tested is no longer that node's, so it is refused, and the next read finds the entry where it is.
        var before = read();
        assertThat(writerA.remove(before)).isTrue();
        assertThat(writerB.report(before, Optional.of(session(PeerSession.State.Idle, 0))))
                .as("a replace at an index that moved")
                .isFalse();
        assertThat(entries()).extracting(e -> e.node + "=" + e.sessionState).containsExactly("node-b=Established");
        assertThat(writerB.report(read(), Optional.of(session(PeerSession.State.Idle, 0))))
                .isTrue();
        assertThat(entries()).extracting(e -> e.node + "=" + e.sessionState).containsExactly("node-b=Idle");
    }

    void annotatedNode(String name, Map<String, String> annotations) {
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

    static OperatorOptions withEndpoint(String identity, String node, String endpoint) {
        return LeaderElectionIT.options(identity).withNode(node).withTunnelEndpoint(Ipv4Address.parse(endpoint));
    }

    @Test
    void eachReplicaDescribesItsGatewayOnItsNodeAndTheOtherSteersToTheLeaseHolder() {
        annotatedNode("node-a", Map.of());
        // A stale description from an earlier gateway on node-b: its replica writes its own over it.
        annotatedNode("node-b", Map.of(GatewayNode.GATEWAY_IDENTITY, "gone", GatewayNode.TUNNEL_ENDPOINT, "10.9.9.9"));
        // Each replica's Pod, as its DaemonSet's: a description counts only while the Pod it names runs there.
        gatewayPod("replica-a", "node-a");
        gatewayPod("replica-b", "node-b");
        a = new LeaderElectedOperator(client, gatewayA.ports(), withEndpoint("replica-a", "node-a", "10.1.0.1"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(client, gatewayB.ports(), withEndpoint("replica-b", "node-b", "10.1.0.2"));
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

    /**
     * A Node's gateway description counts for the other clusters only while the Pod it names runs there: the
     * description node-b keeps after its gateway's Pod went (the DaemonSet moved off it) is not offered to them.
     */
    @Test
    void aDescriptionWhoseGatewayPodIsGoneNamesNoGatewayNode() {
        annotatedNode("node-a", Map.of());
        annotatedNode(
                "node-b", Map.of(GatewayNode.GATEWAY_IDENTITY, "replica-b", GatewayNode.TUNNEL_ENDPOINT, "10.1.0.2"));
        gatewayPod("replica-a", "node-a");
        a = new LeaderElectedOperator(client, gatewayA.ports(), withEndpoint("replica-a", "node-a", "10.1.0.1"));
        a.start();

        Await.until(
                "node-b's description is neither accepted here nor offered",
                () -> lastPass(gatewayA)
                        .filter(p -> p.gateways().endpoints().keySet().equals(java.util.Set.of("node-a"))
                                && p.gateways().publishedEndpoints().keySet().equals(java.util.Set.of("node-a")))
                        .isPresent());

        gatewayPod("replica-b", "node-b");
        Await.until(
                "a gateway node once its Pod runs there",
                () -> lastPass(gatewayA)
                        .filter(p -> p.gateways().endpoints().containsKey("node-b")
                                && p.gateways().publishedEndpoints().containsKey("node-b"))
                        .isPresent());
    }

    /**
     * A backend on an ordinary node is tunnelled to the node role there while that node role is Ready, and routed
     * plainly once it is not: a node role that cannot take the packets must not be sent them.
     */
    @Test
    void aBackendOnAnOrdinaryNodeIsTunnelledToItsNodeRoleWhileThatIsReady() {
        annotatedNode("node-a", Map.of());
        annotatedNode("node-3", Map.of());
        MockApi.create(client, vipPool("vips", "192.0.2.0/29"));
        MockApi.create(client, service("shop", "web", "http", 80));
        var slice = slice("shop", "web", "http", 8080, "10.1.0.5");
        slice.getEndpoints().getFirst().setNodeName("node-3");
        MockApi.create(client, slice);
        MockApi.create(client, export("shop", "web", 0, "vips"));
        client.pods()
                .resource(
                        NodeRolePodsTest.nodeRole("meshgw-system", "meshgw-node-role-x", "node-3", "True", "10.0.0.3"))
                .create();
        a = new LeaderElectedOperator(client, gatewayA.ports(), withEndpoint("replica-a", "node-a", "10.1.0.1"));
        a.start();

        Await.until(
                "the backend tunnelled to node-3's node role",
                () -> lastPass(gatewayA)
                        .filter(p -> p.gateways()
                                .backendNodes()
                                .equals(Map.of(IpAddress.parse("10.1.0.5"), IpAddress.parse("10.0.0.3"))))
                        .isPresent());

        Await.write(
                "the node role not Ready",
                () -> client.pods()
                        .inNamespace("meshgw-system")
                        .withName("meshgw-node-role-x")
                        .editStatus(p -> {
                            p.getStatus().getConditions().getFirst().setStatus("False");
                            return p;
                        }));
        Await.until(
                "the backend routed plainly",
                () -> lastPass(gatewayA)
                        .filter(p -> p.gateways().backendNodes().isEmpty()
                                && p.translations().containsKey(new ObjectKey("shop", "web")))
                        .isPresent());
    }

    void gatewayPod(String name, String node) {
        client.pods()
                .resource(io.meshgw.operator.desired.GatewayPodsTest.pod("meshgw-system", name, node, "Running"))
                .create();
    }
}
