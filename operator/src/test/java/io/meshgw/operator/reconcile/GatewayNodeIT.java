package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.NodeSelector;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.port.ObjectKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica reads its own Node from the API server (the fabric8 mock server in CRUD mode): the Node's labels select
 * the BgpPeers it runs sessions to, and the exclusion label drains it, as the labels change.
 */
@MockApiServer
class GatewayNodeIT {
    static final ObjectKey TOR = new ObjectKey("meshgw-system", "tor1");
    static final String RACK = "topology.example.com/rack";

    KubernetesClient client;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    @AfterEach
    void stop() {
        if (operator != null) operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    void label(String key, String value) {
        Await.write(
                "node labels",
                () -> client.nodes().withName("node-a").edit(n -> {
                    if (value == null) {
                        n.getMetadata().getLabels().remove(key);
                    } else {
                        n.getMetadata().getLabels().put(key, value);
                    }
                    return n;
                }));
    }

    @Test
    void theNodesLabelsSelectItsSessionsAndDrainItAsTheyChange() {
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName("node-a")
                .addToLabels(RACK, "r1")
                .endMetadata()
                .build();
        client.nodes().resource(node).create();
        // Another node's labels must not count: only this replica's own Node selects its sessions.
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName("node-b")
                        .addToLabels(RACK, "r2")
                        .endMetadata()
                        .build())
                .create();
        BgpPeer tor = peer("meshgw-system", "tor1", 1, "192.0.2.1", 65000);
        tor.getSpec().nodeSelector = new NodeSelector();
        tor.getSpec().nodeSelector.matchLabels = java.util.Map.of(RACK, "r2");
        create(tor);
        create(vipPool("vips", "192.0.2.0/29"));
        create(service("shop", "web", "http", 80, "admin", 9000));
        create(slice("shop", "web", "http", 8080, "10.1.0.5"));
        create(export("shop", "web", 0, "vips"));

        operator = new MeshgwOperator(
                client, gateway.ports(), OperatorIT.options("op-1").withNode("node-a"), Leadership.ALWAYS);
        operator.start();

        Await.until("the VIP announced", () -> gateway.bgp().announces("192.0.2.0/32"));
        assertThat(gateway.bgp().appliedPeers())
                .as("rack r2's peer, on a node of rack r1")
                .isEmpty();

        label(RACK, "r2");
        Await.until(
                "the session of rack r2 configured",
                () -> gateway.bgp().appliedPeers().containsKey(TOR));

        label(GatewayNode.EXCLUDE_FROM_LOAD_BALANCERS, "");
        Await.until(
                "the VIP withdrawn from a drained node", () -> !gateway.bgp().announces("192.0.2.0/32"));
        assertThat(gateway.bgp().appliedPeers())
                .as("a drained node keeps its sessions")
                .containsKey(TOR);
        assertThat(gateway.datapath().translations())
                .as("flows still arriving are translated")
                .containsKey(new ObjectKey("shop", "web"));

        label(GatewayNode.EXCLUDE_FROM_LOAD_BALANCERS, null);
        Await.until("the VIP announced again", () -> gateway.bgp().announces("192.0.2.0/32"));
    }
}
