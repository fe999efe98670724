package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.plan.NodeEgress.SteeredPod;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Ipv4Address;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node role on an ordinary node against an API server: it steers the pods running on its node that an applied
 * EgressIdentity keeps, to the node of the gateway that holds the Lease, follows the Lease and the pods, and writes
 * nothing.
 */
@MockApiServer
class NodeRoleIT {
    static final IpAddress B_1 = IpAddress.parse("10.0.0.1");

    KubernetesClient client;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    final FakeGateway gatewayA = FakeGateway.create();
    final FakeGateway gatewayB = FakeGateway.create();
    final AtomicReference<NodeEgress> applied = new AtomicReference<>();
    LeaderElectedOperator a;
    LeaderElectedOperator b;
    NodeRoleOperator role;

    @AfterEach
    void stop() {
        if (role != null) role.close();
        if (b != null) b.close();
        if (a != null) a.close();
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    void node(String name) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    Pod podOn(String node, String name, Map<String, String> labels, String ip) {
        var p = pod("pay", name, "billing", labels, ip);
        p.getSpec().setNodeName(node);
        return create(p);
    }

    void startRole() {
        role = new NodeRoleOperator(
                client, applied::set, LeaderElectionIT.options("node-c").withNode("node-c"));
        role.start();
    }

    Optional<SteeredPod> steered(IpAddress pod) {
        var e = applied.get();
        return e == null ? Optional.empty() : Optional.ofNullable(e.pods().get(pod));
    }

    @Test
    void podsOnItsNodeAreSteeredToTheLeaseHoldersNodeAndFollowTheLease() {
        node("node-a");
        node("node-b");
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-c")
                        .endMetadata()
                        .withNewStatus()
                        .addNewAddress()
                        .withType("InternalIP")
                        .withAddress("10.1.0.30")
                        .endAddress()
                        .endStatus()
                        .build())
                .create();
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        podOn("node-c", "b-1", Map.of("app", "billing"), "10.0.0.1");
        podOn("node-a", "b-2", Map.of("app", "billing"), "10.0.0.2");
        // Of another service account: no identity keeps it.
        var web = pod("pay", "web", "web", Map.of(), "10.0.0.9");
        web.getSpec().setNodeName("node-c");
        create(web);
        // The replicas' Pods, as their DaemonSet's: a gateway's description counts only while its Pod runs there.
        for (var replica : Map.of("replica-a", "node-a", "replica-b", "node-b").entrySet()) {
            create(io.meshgw.operator.desired.GatewayPodsTest.pod(
                    "meshgw-system", replica.getKey(), replica.getValue(), "Running"));
        }
        a = new LeaderElectedOperator(
                client, gatewayA.ports(), NodeSessionsIT.withEndpoint("replica-a", "node-a", "10.1.0.1"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(
                client, gatewayB.ports(), NodeSessionsIT.withEndpoint("replica-b", "node-b", "10.1.0.2"));
        b.start();
        startRole();

        var pod = Await.value(
                "b-1 steered to node-a",
                () -> steered(B_1),
                p -> p.flatMap(SteeredPod::owner).equals(Optional.of(Ipv4Address.parse("10.1.0.1"))));
        int identity = gatewayA.datapath()
                .egressRules()
                .get(new ObjectKey("pay", "billing"))
                .identity();
        assertThat(pod.orElseThrow())
                .isEqualTo(new SteeredPod(
                        new ObjectKey("pay", "b-1"),
                        new ObjectKey("pay", "billing"),
                        identity,
                        Optional.of(Ipv4Address.parse("10.1.0.1"))));
        // Only its own node's pods, and only those an identity keeps.
        assertThat(applied.get().pods()).containsOnlyKeys(B_1);
        assertThat(applied.get().destinations()).containsExactly(IpPrefix.parse("10.20.0.0/16"));
        assertThat(applied.get().nodeAddresses())
                .as("its Node's InternalIP, which its configured address must be")
                .containsExactly(IpAddress.parse("10.1.0.30"));
        assertThat(role.holder()).contains("replica-a");

        // The Lease moves to replica-b: so does the steering.
        a.close();
        a = null;
        Await.until("replica-b leads", b::leading);
        Await.value(
                "b-1 steered to node-b",
                () -> steered(B_1),
                p -> p.flatMap(SteeredPod::owner).equals(Optional.of(Ipv4Address.parse("10.1.0.2"))));

        // The pod goes: nothing is steered, toward no destination.
        client.resources(Pod.class).inNamespace("pay").withName("b-1").delete();
        Await.value(
                "nothing steered",
                applied::get,
                e -> e.pods().isEmpty() && e.destinations().isEmpty());

        // The node role wrote nothing: not its Node, not the Lease (it never stands for it).
        assertThat(client.nodes().withName("node-c").get().getMetadata().getAnnotations())
                .isNullOrEmpty();
        assertThat(client.resources(Lease.class)
                        .inNamespace("meshgw-system")
                        .withName(LeaderElectionIT.options("x").leaseName())
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isEqualTo("replica-b");
    }

    /**
     * Every node runs one: it asks the API server for the Pods of its own node and of the gateways' namespace, never
     * for every Pod of the cluster, and gets only those.
     */
    @Test
    void itAsksForItsNodesPodsAndTheGatewaysNotEveryPod() throws InterruptedException {
        node("node-c");
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        podOn("node-c", "b-1", Map.of(), "10.0.0.1");
        podOn("node-a", "b-2", Map.of(), "10.0.0.2");
        startRole();
        var pod = Await.value("b-1 known", () -> steered(B_1), Optional::isPresent);
        assertThat(pod).isPresent();
        assertThat(applied.get().pods()).as("not the pod of node-a").containsOnlyKeys(B_1);
        assertThat(applied.get().localPods()).as("its node's pods alone").containsExactly(B_1);

        var podReads = new java.util.ArrayList<String>();
        for (var r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                r != null;
                r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            String path = java.net.URLDecoder.decode(r.getPath(), java.nio.charset.StandardCharsets.UTF_8);
            if (r.getMethod().equals("GET") && path.matches(".*/api/v1/(namespaces/[^/]+/)?pods([?].*)?")) {
                podReads.add(path);
            }
        }
        assertThat(podReads)
                .as("its Pod lists and watches")
                .isNotEmpty()
                .allSatisfy(path -> assertThat(path)
                        .satisfiesAnyOf(
                                p -> assertThat(p).contains("fieldSelector=spec.nodeName=node-c"),
                                p -> assertThat(p).startsWith("/api/v1/namespaces/meshgw-system/pods")));
    }

    @Test
    void withoutALeaseHolderItsPodsAreSteeredNowhere() {
        node("node-c");
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        podOn("node-c", "b-1", Map.of(), "10.0.0.1");
        // A gateway that planned once and left, with no holder: its Node says where it was, the Lease names nobody.
        create(new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder()
                .withNewMetadata()
                .withNamespace("meshgw-system")
                .withName(LeaderElectionIT.options("x").leaseName())
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("")
                .endSpec()
                .build());
        startRole();

        // Known to be kept by an identity, with no owner: its node drops its packets toward the destinations.
        var pod = Await.value("b-1 known, unowned", () -> steered(B_1), Optional::isPresent);
        assertThat(pod.orElseThrow().owner()).isEmpty();
        assertThat(role.holder()).isEmpty();
    }
}
