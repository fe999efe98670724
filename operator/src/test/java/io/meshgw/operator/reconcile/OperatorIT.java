package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** MeshServiceExports through a running operator against the fabric8 mock API server in CRUD mode. */
@MockApiServer
class OperatorIT {
    static final ObjectKey WEB = new ObjectKey("shop", "web");

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    static OperatorOptions options(String identity) {
        return OperatorOptions.defaults(Fixtures.EAST, "meshgw-system", identity)
                .withTimings(
                        Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200), Duration.ofMillis(300));
    }

    void startOperator() {
        operator = new MeshgwOperator(client, gateway.ports(), options("op-1"), Leadership.ALWAYS);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        if (operator != null) operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    MeshServiceExport web() {
        return client.resources(MeshServiceExport.class)
                .inNamespace("shop")
                .withName("web")
                .get();
    }

    static Optional<Condition> condition(MeshServiceExport export, String type) {
        if (export == null || export.getStatus() == null) return Optional.empty();
        return export.getStatus().conditions.stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }

    MeshServiceExport awaitWeb(String what, String type, String status, long generation) {
        return Await.value(
                what,
                this::web,
                e -> condition(e, type)
                        .filter(c -> c.getStatus().equals(status) && c.getObservedGeneration() == generation)
                        .isPresent());
    }

    void createReadyWebExport() {
        create(vipPool("vips", "192.0.2.0/29"));
        create(service("shop", "web", "http", 80, "admin", 9000));
        create(slice("shop", "web", "http", 8080, "10.1.0.5", "10.1.0.7"));
        create(export("shop", "web", 0, "vips"));
    }

    @Test
    void createUpdateAndDeleteOfAnExportDriveTheGateway() {
        startOperator();
        createReadyWebExport();

        var ready = awaitWeb("web Ready", "Ready", "True", 1);
        assertThat(ready.getStatus().observedGeneration).isEqualTo(1L);
        assertThat(ready.getStatus().assignedVip).isEqualTo("192.0.2.0");
        assertThat(ready.getStatus().clusters).singleElement().satisfies(c -> {
            assertThat(c.cluster).isEqualTo("east");
            assertThat(c.readyBackends).isEqualTo(2);
        });
        assertThat(ready.getMetadata().getFinalizers()).containsExactly(Finalizers.NAME);
        assertThat(condition(ready, "Conflict").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(condition(ready, "Degraded").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(gateway.log().all())
                .containsExactly("applyTranslation shop/web 192.0.2.0", "announce 192.0.2.0/32", "publish shop/web");
        // the gateway hears of each pass (its reconcile-duration metric) with the state applied
        Await.until(
                "a pass observed with web's translation",
                () -> gateway.passes().stream().anyMatch(s -> s.translations().containsKey(WEB)));

        Await.write(
                "web ports",
                () -> client.resources(MeshServiceExport.class)
                        .inNamespace("shop")
                        .withName("web")
                        .edit(e -> {
                            e.getSpec().ports = List.of("http");
                            return e;
                        }));
        awaitWeb("web generation 2 observed", "Ready", "True", 2);
        Await.until(
                "one-port translation",
                () -> gateway.datapath().translations().get(WEB).ports().size() == 1);
        assertThat(gateway.log().count("announce 192.0.2.0/32")).isEqualTo(1);

        client.resource(web()).delete();
        Await.until("web gone", () -> web() == null);
        var calls = gateway.log().all();
        assertThat(calls.subList(calls.size() - 3, calls.size()))
                .containsExactly("withdraw 192.0.2.0/32", "removeTranslation shop/web", "unpublish shop/web");
        assertThat(gateway.bgp().announcements()).isEmpty();
        assertThat(gateway.datapath().translations()).isEmpty();
        assertThat(gateway.mesh().published()).isEmpty();
    }

    @Test
    void theVipIsAnnouncedOnlyWhileABackendIsReady() {
        startOperator();
        create(vipPool("vips", "192.0.2.0/29"));
        create(service("shop", "web", "http", 80));
        var slice = create(slice("shop", "web", "http", 8080, "10.1.0.5!"));
        create(export("shop", "web", 0, "vips"));

        var degraded = awaitWeb("web Degraded", "Degraded", "True", 1);
        assertThat(condition(degraded, "Degraded").orElseThrow().getReason()).isEqualTo("NoReadyBackends");
        assertThat(gateway.bgp().announcements()).isEmpty();
        assertThat(gateway.datapath().translations()).containsKey(WEB);

        Await.write(
                "slice readiness",
                () -> client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace("shop")
                        .withName(slice.getMetadata().getName())
                        .edit(s -> {
                            s.getEndpoints().getFirst().getConditions().setReady(true);
                            return s;
                        }));
        Await.until("VIP announced", () -> gateway.bgp().announces("192.0.2.0/32"));
        awaitWeb("web no longer Degraded", "Degraded", "False", 1);
    }

    @Test
    void anOlderRemoteExportWithOtherPortsPutsTheLocalOneInConflict() {
        gateway.mesh()
                .remote(List.of(new RemoteExport(
                        Fixtures.WEST,
                        WEB,
                        Instant.parse("2020-01-01T00:00:00Z"),
                        List.of(ServicePort.tcp("http", 8443)),
                        List.of(new RemoteExport.RemoteEndpoints(
                                "http", Protocol.TCP, 8443, List.of(IpAddress.parse("10.2.0.1")))))));
        startOperator();
        createReadyWebExport();

        var conflicted = awaitWeb("web Conflict", "Conflict", "True", 1);
        assertThat(condition(conflicted, "Conflict").orElseThrow().getMessage()).contains("'west'");
        assertThat(condition(conflicted, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(gateway.log().all()).isEmpty();

        gateway.mesh().remote(List.of());
        operator.requestReconcile();
        awaitWeb("web Ready once the remote export is gone", "Ready", "True", 1);
        assertThat(gateway.mesh().published()).containsKey(WEB);
    }

    @Test
    void aRestartedOperatorConvergesWithoutRepeatingWork() {
        startOperator();
        createReadyWebExport();
        awaitWeb("web Ready", "Ready", "True", 1);
        create(export("shop", "api", 0, "vips"));
        create(service("shop", "api", "http", 80));
        create(slice("shop", "api", "http", 8080, "10.1.0.9"));
        Await.until("api announced", () -> gateway.bgp().announcements().size() == 2);
        operator.close();
        var before = gateway.log().all();

        // While no operator runs, api is deleted: its finalizer keeps it until a new operator withdraws it.
        client.resources(MeshServiceExport.class)
                .inNamespace("shop")
                .withName("api")
                .delete();
        operator = new MeshgwOperator(client, gateway.ports(), options("op-2"), Leadership.ALWAYS);
        operator.start();
        Await.until(
                "api gone",
                () -> client.resources(MeshServiceExport.class)
                                .inNamespace("shop")
                                .withName("api")
                                .get()
                        == null);
        int passes = gateway.mesh().passes();
        Await.until("two more passes", () -> gateway.mesh().passes() >= passes + 2);

        var after = gateway.log().all();
        assertThat(after.subList(before.size(), after.size()))
                .containsExactly("withdraw 192.0.2.1/32", "removeTranslation shop/api", "unpublish shop/api");
        assertThat(gateway.log().count("announce 192.0.2.0/32")).isEqualTo(1);
        assertThat(web().getStatus().assignedVip).isEqualTo("192.0.2.0");
    }

    @Test
    void anExportKeepsItsVipAcrossAnOperatorRestartEvenWhenAnOlderOneAppears() {
        startOperator();
        create(vipPool("vips", "192.0.2.0/29"));
        create(export("shop", "web", 0, "vips"));
        awaitWeb("web has a VIP", "Ready", "False", 1);
        assertThat(web().getStatus().assignedVip).isEqualTo("192.0.2.0");
        operator.close();

        // A fresh gateway: nothing applied, the VIP must still come from status.
        var other = withStatus(export("shop", "aaa", 0, "vips"));
        create(other);
        operator = new MeshgwOperator(client, FakeGateway.create().ports(), options("op-2"), Leadership.ALWAYS);
        operator.start();
        Await.until("aaa got a VIP", () -> {
            var aaa = client.resources(MeshServiceExport.class)
                    .inNamespace("shop")
                    .withName("aaa")
                    .get();
            return aaa.getStatus() != null && "192.0.2.1".equals(aaa.getStatus().assignedVip);
        });
        assertThat(web().getStatus().assignedVip).isEqualTo("192.0.2.0");
    }

    static MeshServiceExport withStatus(MeshServiceExport export) {
        export.setStatus(new MeshServiceExportStatus());
        return export;
    }
}
