package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway in Kubernetes mode, end to end: east's gateway process watches an API server (fabric8's mock server in
 * CRUD mode, holding the meshgw CRDs and the objects east's file would hold), takes the Lease there, plans from the
 * informers, drives the real datapath, BIRD and FRR and the broker, and writes status and finalizers back. West stays
 * in standalone mode, so the VIP is served across clusters. The scenarios build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesModeIT {

    static HybridLab lab;
    static Scenarios s;
    static KubernetesClient api;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NetNs.available(), "the hybrid lab needs root with CAP_NET_ADMIN and CAP_BPF");
        lab = HybridLab.startWithEastOnApiServer(
                Files.createTempDirectory("meshgw-e2e-k8s"), Path.of(System.getProperty("meshgw.crds.dir")));
        api = lab.api().client();
        s = new Scenarios(lab);
        assertThat(s.sessionsUp())
                .as("both gateways peer with the routers; logs in %s", lab.dir())
                .isNotNegative();
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theGatewayTakesTheLeaseAndSaysSo() {
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(30), () -> "east-gw-1".equals(leaseHolder())))
                .as("east's gateway holds the Lease; see %s", lab.dir())
                .isNotNegative();
        String info = lab.gateway("east").get("/api/v1/info").body();
        assertThat(info).contains("\"mode\":\"kubernetes\"", "\"leading\":true", "\"leader\":\"east-gw-1\"");
    }

    @Test
    @Order(2)
    void aVipPlannedFromTheApiServerIsAnnouncedAndServedAcrossClusters() {
        assertThat(s.vipAnnounced())
                .as("east announces the VIP of the export it read from the API server; see %s", lab.dir())
                .isNotNegative();
        for (BgpRouter r : lab.routers()) {
            assertThat(r.routeDetails(HybridLab.VIP + "/32"))
                    .as("%s learned the VIP", r.kind())
                    .contains("172.16.1.2");
        }
        assertThat(s.legacyToVipUntil("saw", Duration.ofSeconds(20)))
                .isEqualTo("web-b of west saw " + HybridLab.LEGACY_HOST);
    }

    @Test
    @Order(3)
    void statusAndTheFinalizerAreWrittenToTheApiServer() {
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(20), () -> HybridLab.VIP.equals(status("shop", "web", "assignedVip"))))
                .as("the export's status names its VIP")
                .isNotNegative();
        assertThat(ready("shop", "web")).isEqualTo("True");
        assertThat(export("shop", "web").getMetadata().getFinalizers()).isNotEmpty();
    }

    @Test
    @Order(4)
    void aLocalBackendAddedThroughTheApiServerIsPreferred() {
        s.setBackends("east", List.of(HybridLab.WEB_A));
        assertThat(s.legacyToVipUntil("web-a", Duration.ofSeconds(20)))
                .isEqualTo("web-a of east saw " + HybridLab.LEGACY_HOST);
    }

    @Test
    @Order(5)
    void aPodLeavesWithItsEgressIpTranslatedByTheLeaseHolder() {
        assertThat(s.egressAnnounced()).isNotNegative();
        String[] answer = {""};
        BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = s.podToLegacy(9000)).contains("saw"));
        assertThat(answer[0]).isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        var identity = api.genericKubernetesResources("meshgw.io/v1alpha1", "EgressIdentity")
                .inNamespace("shop")
                .list()
                .getItems();
        assertThat(identity)
                .as("every EgressIdentity's status names the gateway that serves its source")
                .isNotEmpty()
                .allSatisfy(e -> assertThat(String.valueOf(
                                ((Map<?, ?>) e.getAdditionalProperties().get("status")).get("servedBy")))
                        .isEqualTo("east-gw-1"));
    }

    @Test
    @Order(6)
    void anExportDeletedInTheApiServerIsWithdrawnAndThenReleased() {
        api.genericKubernetesResources("meshgw.io/v1alpha1", "MeshServiceExport")
                .inNamespace("shop")
                .withName("web")
                .delete();
        long withdrawn = Scenarios.millisUntil(
                Duration.ofSeconds(20), () -> lab.routers().stream().noneMatch(r -> r.holds(HybridLab.VIP + "/32")));
        assertThat(withdrawn).as("both routers lost the VIP").isNotNegative();
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(20), () -> export("shop", "web") == null))
                .as("the finalizer was released once nothing of the export was left, and the object went")
                .isNotNegative();
    }

    private static String leaseHolder() {
        Lease lease = api.resources(Lease.class)
                .inNamespace("meshgw-system")
                .withName("meshgw-operator")
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static GenericKubernetesResource export(String namespace, String name) {
        return api.genericKubernetesResources("meshgw.io/v1alpha1", "MeshServiceExport")
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(String namespace, String name) {
        var e = export(namespace, name);
        return e == null
                ? Map.of()
                : (Map<String, Object>) e.getAdditionalProperties().getOrDefault("status", Map.of());
    }

    private static String status(String namespace, String name, String field) {
        return Optional.ofNullable(status(namespace, name).get(field))
                .map(Object::toString)
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static String ready(String namespace, String name) {
        var conditions = (List<Map<String, Object>>) status(namespace, name).getOrDefault("conditions", List.of());
        return conditions.stream()
                .filter(c -> "Ready".equals(c.get("type")))
                .map(c -> String.valueOf(c.get("status")))
                .findFirst()
                .orElse(null);
    }
}
