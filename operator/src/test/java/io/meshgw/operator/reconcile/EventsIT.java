package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events on the objects a transition is about, written by the Lease holder with status, against the fabric8 mock API
 * server in CRUD mode: one per transition, none for a status change that is no transition, none on a steady pass.
 */
@MockApiServer
class EventsIT {
    static final ObjectKey TOR = new ObjectKey("meshgw-system", "tor1");

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    void startOperator(Leadership leadership) {
        operator = new MeshgwOperator(client, gateway.ports(), OperatorIT.options("op-1"), leadership);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    List<Event> events(String namespace) {
        return client.events().v1().events().inNamespace(namespace).list().getItems();
    }

    List<String> reasons(String namespace) {
        return events(namespace).stream()
                .sorted((a, b) ->
                        a.getEventTime().getTime().compareTo(b.getEventTime().getTime()))
                .map(Event::getReason)
                .toList();
    }

    BgpPeer tor() {
        return client.resources(BgpPeer.class)
                .inNamespace("meshgw-system")
                .withName("tor1")
                .get();
    }

    static PeerSession session(PeerSession.State state, long received, Optional<String> lastError) {
        return new PeerSession(
                state,
                state == PeerSession.State.Established
                        ? Optional.of(Instant.parse("2026-01-01T00:00:00Z"))
                        : Optional.empty(),
                received,
                received,
                1,
                lastError);
    }

    /** Asks for a pass and waits until one ran, so what it wrote is there to be read. */
    void steadyPass() {
        int before = gateway.passes().size();
        operator.requestReconcile();
        Await.until("another pass", () -> gateway.passes().size() > before);
    }

    @Test
    void aSessionGoingUpAndDownIsAnEventEachAndNothingElseIs() {
        startOperator(Leadership.ALWAYS);
        create(peer("meshgw-system", "tor1", 0, "192.0.2.1", 65000));
        Await.until("peer applied", () -> gateway.bgp().appliedPeers().containsKey(TOR));
        Await.until("peer status written", () -> tor() != null && tor().getStatus() != null);
        assertThat(events("meshgw-system"))
                .as("a session not yet started is no transition")
                .isEmpty();

        gateway.bgp().session(TOR, session(PeerSession.State.Established, 7, Optional.empty()));
        operator.requestReconcile();
        Await.until("SessionEstablished", () -> reasons("meshgw-system").equals(List.of("SessionEstablished")));
        var up = events("meshgw-system").getFirst();
        assertThat(up.getType()).isEqualTo("Normal");
        assertThat(up.getNote()).isEqualTo("BGP session with 192.0.2.1 (AS 65000) is Established");
        assertThat(up.getRegarding().getKind()).isEqualTo("BgpPeer");
        assertThat(up.getRegarding().getName()).isEqualTo("tor1");
        assertThat(up.getRegarding().getUid()).isEqualTo(tor().getMetadata().getUid());
        assertThat(up.getReportingController()).isEqualTo(EventWriter.CONTROLLER);
        assertThat(up.getReportingInstance()).isEqualTo("op-1");

        // More prefixes: the status changes, but no session went anywhere.
        gateway.bgp().session(TOR, session(PeerSession.State.Established, 9, Optional.empty()));
        operator.requestReconcile();
        Await.until("receivedPrefixes 9 in status", () -> tor().getStatus().receivedPrefixes == 9L);
        steadyPass();
        steadyPass();
        assertThat(reasons("meshgw-system")).containsExactly("SessionEstablished");

        gateway.bgp().session(TOR, session(PeerSession.State.Active, 0, Optional.of("hold timer expired")));
        operator.requestReconcile();
        Await.until("SessionDown", () -> reasons("meshgw-system").equals(List.of("SessionEstablished", "SessionDown")));
        var down = events("meshgw-system").stream()
                .filter(e -> e.getReason().equals("SessionDown"))
                .findFirst()
                .orElseThrow();
        assertThat(down.getType()).isEqualTo("Warning");
        assertThat(down.getNote())
                .isEqualTo("BGP session with 192.0.2.1 (AS 65000) left Established and is Active: hold timer expired");
        steadyPass();
        assertThat(events("meshgw-system")).hasSize(2);
    }

    @Test
    void anExportsVipAndReadinessAndAPoolRunningOutAreEvents() {
        startOperator(Leadership.ALWAYS);
        create(vipPool("vips", "192.0.2.0/32"));
        create(service("shop", "web", "http", 80));
        create(slice("shop", "web", "http", 8080, "10.1.0.5"));
        create(export("shop", "web", 0, "vips"));

        Await.until(
                "VipAllocated and ExportReady",
                () -> reasons("shop").containsAll(List.of("VipAllocated", "ExportReady")));
        var allocated = events("shop").stream()
                .filter(e -> e.getReason().equals("VipAllocated"))
                .findFirst()
                .orElseThrow();
        assertThat(allocated.getNote()).isEqualTo("VIP 192.0.2.0 allocated from LegacyVipPool vips");
        assertThat(allocated.getRegarding().getKind()).isEqualTo("MeshServiceExport");

        // The pool's only address is taken: a cluster-scoped object's Events are in "default".
        Await.until("PoolExhausted", () -> reasons("default").contains("PoolExhausted"));
        var exhausted = events("default").getFirst();
        assertThat(exhausted.getRegarding().getKind()).isEqualTo("LegacyVipPool");
        assertThat(exhausted.getRegarding().getUid())
                .isEqualTo(client.resources(LegacyVipPool.class)
                        .withName("vips")
                        .get()
                        .getMetadata()
                        .getUid());
        assertThat(exhausted.getType()).isEqualTo("Warning");

        // A second export finds the pool exhausted: not Ready, with the reason.
        create(service("shop", "api", "http", 80));
        create(export("shop", "api", 1, "vips"));
        Await.until(
                "ExportNotReady",
                () -> events("shop").stream()
                        .anyMatch(e -> e.getReason().equals("ExportNotReady")
                                && e.getRegarding().getName().equals("api")));
        var notReady = events("shop").stream()
                .filter(e -> e.getReason().equals("ExportNotReady"))
                .findFirst()
                .orElseThrow();
        assertThat(notReady.getNote()).startsWith("not Ready (PoolExhausted): ");

        int shop = events("shop").size();
        int cluster = events("default").size();
        steadyPass();
        steadyPass();
        assertThat(events("shop")).hasSize(shop);
        assertThat(events("default")).hasSize(cluster);

        client.resource(client.resources(MeshServiceExport.class)
                        .inNamespace("shop")
                        .withName("web")
                        .get())
                .delete();
        Await.until(
                "the api export gets the released VIP",
                () -> events("shop").stream()
                        .anyMatch(e -> e.getReason().equals("VipAllocated")
                                && e.getRegarding().getName().equals("api")));
    }

    @Test
    void aReplicaWithoutTheLeaseWritesNoEvent() {
        var never = new Leadership() {
            @Override
            public boolean leading() {
                return false;
            }

            @Override
            public boolean whileLeading(Runnable write) {
                return false;
            }
        };
        startOperator(never);
        create(peer("meshgw-system", "tor1", 0, "192.0.2.1", 65000));
        Await.until(
                "peer applied to this node", () -> gateway.bgp().appliedPeers().containsKey(TOR));
        gateway.bgp().session(TOR, session(PeerSession.State.Established, 7, Optional.empty()));
        steadyPass();
        steadyPass();
        assertThat(events("meshgw-system")).isEmpty();
        assertThat(tor().getStatus()).as("nor status").isNull();
    }
}
