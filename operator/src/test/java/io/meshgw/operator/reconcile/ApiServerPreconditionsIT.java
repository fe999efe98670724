package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The test API server refuses the writes a real one refuses, so the operator's tests cannot pass on a write that would
 * be lost against a cluster: a status replace under a resourceVersion that moved (409), and a JSON patch whose test
 * fails (422, answered at once).
 */
@MockApiServer
class ApiServerPreconditionsIT {
    KubernetesClient client;

    BgpPeer read() {
        return client.resources(BgpPeer.class)
                .inNamespace("meshgw-system")
                .withName("tor1")
                .get();
    }

    static BgpPeer withNode(BgpPeer peer, String node) {
        var entry = new BgpPeerStatus.NodeSession();
        entry.node = node;
        var status = new BgpPeerStatus();
        status.nodes = List.of(entry);
        peer.setStatus(status);
        return peer;
    }

    @Test
    void aStatusReplaceFromAnObjectThatMovedIsRefusedAndTheNewerStatusStays() {
        MockApi.create(client, peer("meshgw-system", "tor1", 1, "192.0.2.1", 65000));
        var stale = read();
        client.resource(withNode(read(), "node-a")).updateStatus();

        assertThatThrownBy(() -> client.resource(withNode(stale, "node-b")).updateStatus())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(read().getStatus().nodes).extracting(n -> n.node).containsExactly("node-a");

        client.resource(withNode(read(), "node-b")).updateStatus();
        assertThat(read().getStatus().nodes).extracting(n -> n.node).containsExactly("node-b");
    }

    @Test
    void aJsonPatchWhoseTestFailsIsRefusedAndChangesNothing() {
        MockApi.create(client, peer("meshgw-system", "tor1", 1, "192.0.2.1", 65000));
        client.resource(withNode(read(), "node-a")).updateStatus();
        String version = read().getMetadata().getResourceVersion();
        String patch = """
                [{"op": "test", "path": "/status/nodes/0/node", "value": "node-b"},
                 {"op": "remove", "path": "/status/nodes/0"}]""";

        assertThatThrownBy(() -> client.resources(BgpPeer.class)
                        .inNamespace("meshgw-system")
                        .withName("tor1")
                        .subresource("status")
                        .patch(PatchContext.of(PatchType.JSON), patch))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(read().getMetadata().getResourceVersion()).isEqualTo(version);
        assertThat(read().getStatus().nodes).extracting(n -> n.node).containsExactly("node-a");
    }
}
