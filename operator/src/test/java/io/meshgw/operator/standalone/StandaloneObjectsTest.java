package io.meshgw.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.desired.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading the standalone file: every kind to its class, and errors that say which document and why. */
class StandaloneObjectsTest {
    static final String PEER = """
            apiVersion: meshgw.io/v1alpha1
            kind: BgpPeer
            metadata: {name: tor1, namespace: net}
            spec: {peerAddress: 192.0.2.1, peerAsn: 65000, localAsn: 65001}
            """;

    @Test
    void everyKindBecomesItsClass() {
        var objects = StandaloneObjects.parse(StandaloneApplyTest.OBJECTS);
        assertThat(objects)
                .extracting(Object::getClass)
                .containsExactly(
                        Secret.class,
                        BgpPolicy.class,
                        BgpPeer.class,
                        LegacyVipPool.class,
                        EgressIpPool.class,
                        Service.class,
                        EndpointSlice.class,
                        MeshServiceExport.class,
                        Pod.class,
                        EgressIdentity.class,
                        LegacyService.class,
                        MeshCluster.class);
        var snapshot = SnapshotFromObjects.of(Fixtures.EAST, objects).build();
        assertThat(snapshot.pods()).hasSize(1);
        assertThat(snapshot.egressIdentities().getFirst().getSpec().allowedPorts)
                .hasSize(2);
        assertThat(snapshot.endpointSlices()).hasSize(1);
    }

    @Test
    void emptyDocumentsAreSkippedButCounted() {
        var objects = StandaloneObjects.parse("---\n---\n" + PEER + "---\n");
        assertThat(objects).singleElement().isInstanceOf(BgpPeer.class);
        assertThat(StandaloneObjects.parse("")).isEmpty();
        assertThatThrownBy(() -> StandaloneObjects.parse("a: 1\n---\n---\nkind: [\n"))
                .hasMessageStartingWith("document 1 (<no kind> <no name>): apiVersion and kind are required");
    }

    @Test
    void anUnknownKindIsRejectedWithItsDocumentKindAndName() {
        var widget = """
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w, namespace: shop}
                """;
        assertThatThrownBy(() -> StandaloneObjects.parse(PEER + "---\n" + widget))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("document 2 (Widget shop/w): kind Widget (example.com/v1) is not one meshgw"
                        + " reads; expected BgpPeer, BgpPolicy,");

        List<HasMetadata> objects = List.of(
                StandaloneObjects.parse(PEER).getFirst(),
                new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("settings")
                        .withNamespace("net")
                        .endMetadata()
                        .build());
        assertThatThrownBy(() -> SnapshotFromObjects.of(Fixtures.EAST, objects))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "document 2 (ConfigMap net/settings): kind ConfigMap (v1) is not one meshgw" + " reads");
    }

    @Test
    void anUnparsableDocumentIsNamedWithTheReason() {
        assertThatThrownBy(() -> StandaloneObjects.parse(PEER + "---\n" + PEER + "---\nkind: [BgpPeer\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("document 3: not valid YAML: line ");
        assertThatThrownBy(() -> StandaloneObjects.parse("- just\n- a list\n"))
                .hasMessage("document 1: expected a Kubernetes object, found array");
    }

    @Test
    void aMisspeltOrMistypedFieldIsAnErrorNotIgnored() {
        assertThatThrownBy(() -> StandaloneObjects.parse(PEER.replace("localAsn", "localASN")))
                .hasMessageStartingWith(
                        "document 1 (BgpPeer net/tor1): spec.localASN: Unrecognized field \"localASN\"");
        assertThatThrownBy(() -> StandaloneObjects.parse(PEER.replace("65000", "many")))
                .hasMessageStartingWith("document 1 (BgpPeer net/tor1): spec.peerAsn: Cannot deserialize value");
    }

    @Test
    void namespacesAreDefaultedAsTheApiServerWouldAndDuplicatesRejected() {
        var objects = StandaloneObjects.parse(PEER.replace(", namespace: net", "") + """
                        ---
                        apiVersion: meshgw.io/v1alpha1
                        kind: LegacyVipPool
                        metadata: {name: vips, namespace: ignored}
                        spec: {cidrs: [192.0.2.0/28]}
                        """);
        var snapshot = SnapshotFromObjects.of(Fixtures.EAST, objects).build();
        assertThat(snapshot.peers().getFirst().getMetadata().getNamespace()).isEqualTo("default");
        assertThat(snapshot.vipPools().getFirst().getMetadata().getNamespace()).isNull();

        assertThatThrownBy(() -> StandaloneObjects.parse(PEER + "---\n---\n" + PEER))
                .hasMessage("document 3 (BgpPeer net/tor1): the same object as document 1");
        var twice = new ArrayList<>(StandaloneObjects.parse(PEER));
        twice.add(twice.getFirst());
        assertThatThrownBy(() -> SnapshotFromObjects.of(Fixtures.EAST, twice))
                .hasMessage("document 2 (BgpPeer net/tor1): the same object as document 1");
    }
}
