package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.ObjectKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LegacyServices become names pods resolve: the operator keeps a headless selectorless Service and one EndpointSlice
 * per family against the fabric8 mock API server (CRUD mode), and removes them when the LegacyService goes.
 */
@MockApiServer
class LegacyNameIT {
    static final ObjectKey TOR = new ObjectKey("meshgw-system", "tor1");
    static final LearnedRoute NET1 = route("10.50.1.0/24");
    static final LearnedRoute NET2 = route("10.50.2.0/24");
    static final LearnedRoute NET6 = route("2001:db8:50::/48");

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    @BeforeEach
    void startOperator() {
        operator = new MeshgwOperator(client, gateway.ports(), OperatorIT.options("op-1"), Leadership.ALWAYS);
        operator.start();
        // The speaker learns routes from the sessions plans configure only.
        var tor = Fixtures.peer(TOR.namespace(), TOR.name(), 0, "192.0.2.1", 65000);
        tor.getMetadata().setCreationTimestamp(null);
        client.resource(tor).create();
        Await.until("session with " + TOR, () -> gateway.bgp().appliedPeers().containsKey(TOR));
    }

    @AfterEach
    void stopOperator() {
        operator.close();
    }

    @Test
    void aLegacyServiceBecomesAHeadlessServiceWithASlicePerFamilyThatFollowsTheRoutes() {
        gateway.bgp().routes(List.of(NET1, NET2, NET6));
        var owner = create(mainframe("10.50.2.5", "10.50.1.5", "2001:db8:50::5"));

        var service = Await.value("Service apps/mainframe", () -> service("mainframe"), s -> true);
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getSpec().getSelector()).isNullOrEmpty();
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("tn3270");
            assertThat(p.getProtocol()).isEqualTo("TCP");
            assertThat(p.getPort()).isEqualTo(3270);
        });
        assertThat(service.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "meshgw");
        assertControlledBy(service, owner);

        var v4 = Await.value("IPv4 slice", () -> slice("mainframe-ipv4"), s -> true);
        assertThat(v4.getAddressType()).isEqualTo("IPv4");
        assertThat(addresses(v4)).containsExactly("10.50.1.5", "10.50.2.5");
        assertThat(v4.getEndpoints())
                .allSatisfy(e -> assertThat(e.getConditions().getReady()).isTrue());
        assertThat(v4.getMetadata().getLabels())
                .containsEntry("kubernetes.io/service-name", "mainframe")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "meshgw.io/operator");
        assertThat(v4.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(3270));
        assertControlledBy(v4, owner);
        var v6 = Await.value("IPv6 slice", () -> slice("mainframe-ipv6"), s -> true);
        assertThat(v6.getAddressType()).isEqualTo("IPv6");
        assertThat(addresses(v6)).containsExactly("2001:db8:50::5");

        var status = awaitCondition("Degraded", "False", "RoutesSelected").getStatus();
        assertThat(status.addresses).containsExactly("10.50.1.5", "10.50.2.5", "2001:db8:50::5");

        gateway.bgp().routes(List.of(NET1, NET6));
        operator.requestReconcile();
        var updated = Await.value(
                "IPv4 slice without 10.50.2.5",
                () -> slice("mainframe-ipv4"),
                s -> addresses(s).equals(List.of("10.50.1.5")));
        assertThat(updated.getMetadata().getUid()).isEqualTo(v4.getMetadata().getUid());
        var degraded = awaitCondition("Degraded", "True", "NoAddress");
        assertThat(condition(degraded, "Degraded").orElseThrow().getMessage()).contains("covers 10.50.2.5;");
        assertThat(degraded.getStatus().addresses).containsExactly("10.50.1.5", "2001:db8:50::5");

        gateway.bgp().routes(List.of(NET6));
        operator.requestReconcile();
        Await.until("IPv4 slice deleted with its last address", () -> slice("mainframe-ipv4") == null);
        assertThat(slice("mainframe-ipv6")).isNotNull();
        assertThat(service("mainframe")).isNotNull();
    }

    @Test
    void aPassWithNothingNewWritesNothing() {
        gateway.bgp().routes(List.of(NET1, NET6));
        create(mainframe("10.50.1.5", "2001:db8:50::5"));
        awaitCondition("Degraded", "False", "RoutesSelected");
        Await.until("both slices", () -> slice("mainframe-ipv4") != null && slice("mainframe-ipv6") != null);
        var versions = versions();

        int passes = gateway.mesh().passes();
        operator.requestReconcile();
        Await.until("a pass", () -> gateway.mesh().passes() > passes);
        operator.requestReconcile();
        Await.until("another pass", () -> gateway.mesh().passes() > passes + 1);
        assertThat(versions()).isEqualTo(versions);
    }

    @Test
    void aServiceOfTheSameNameThatIsNotItsOwnIsAConflictAndLeftAlone() {
        gateway.bgp().routes(List.of(NET1));
        var foreign = Fixtures.service("apps", "mainframe", "http", 80);
        foreign.getSpec().setSelector(Map.of("app", "mainframe"));
        client.resource(foreign).create();
        var created = service("mainframe");
        create(mainframe("10.50.1.5"));

        var conflicted = awaitCondition("Conflict", "True", "NameInUse");
        assertThat(condition(conflicted, "Conflict").orElseThrow().getMessage())
                .isEqualTo("Service apps/mainframe exists and is not controlled by this LegacyService;"
                        + " rename or delete one of them");
        assertThat(condition(conflicted, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(conflicted.getStatus().addresses).isEmpty();
        var after = service("mainframe");
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(created.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(slice("mainframe-ipv4")).isNull();

        client.resource(after).delete();
        awaitCondition("Conflict", "False", "NoConflict");
        var own = Await.value(
                "our Service", () -> service("mainframe"), s -> s.getMetadata().getOwnerReferences() != null);
        assertThat(own.getSpec().getClusterIP()).isEqualTo("None");
        Await.until("IPv4 slice", () -> slice("mainframe-ipv4") != null);
    }

    @Test
    void deletingTheLegacyServiceRemovesItsServiceAndSlicesAndNothingElse() {
        gateway.bgp().routes(List.of(NET1, NET6));
        client.resource(Fixtures.service("apps", "web", "http", 80)).create();
        client.resource(Fixtures.slice("apps", "web", "http", 8080, "10.1.0.5")).create();
        create(mainframe("10.50.1.5", "2001:db8:50::5"));
        Await.until(
                "Service and slices",
                () -> service("mainframe") != null
                        && slice("mainframe-ipv4") != null
                        && slice("mainframe-ipv6") != null);

        client.resource(legacyService()).delete();
        Await.until(
                "Service and slices deleted",
                () -> service("mainframe") == null
                        && slice("mainframe-ipv4") == null
                        && slice("mainframe-ipv6") == null);
        assertThat(service("web")).isNotNull();
        assertThat(client.discovery()
                        .v1()
                        .endpointSlices()
                        .inNamespace("apps")
                        .list()
                        .getItems())
                .extracting(s -> s.getMetadata().getName())
                .containsExactly("web-http-1");
    }

    @Test
    void aLegacyServiceThatTurnsInvalidLosesItsName() {
        gateway.bgp().routes(List.of(NET1));
        create(mainframe("10.50.1.5"));
        Await.until("Service and slice", () -> service("mainframe") != null && slice("mainframe-ipv4") != null);

        Await.write(
                "a prefix among the addresses",
                () -> client.resources(LegacyService.class)
                        .inNamespace("apps")
                        .withName("mainframe")
                        .edit(l -> {
                            l.getSpec().addresses = List.of("10.50.1.0/24");
                            return l;
                        }));
        var invalid = awaitCondition("Ready", "False", "Invalid");
        assertThat(condition(invalid, "Ready").orElseThrow().getMessage())
                .isEqualTo("spec.addresses[0]: '10.50.1.0/24' is a prefix; list host addresses without a prefix"
                        + " length");
        Await.until("Service and slice removed", () -> service("mainframe") == null && slice("mainframe-ipv4") == null);
    }

    LegacyService create(LegacyService service) {
        service.getMetadata().setCreationTimestamp(null);
        service.getMetadata().setGeneration(null);
        return client.resource(service).create();
    }

    static LegacyService mainframe(String... addresses) {
        var service = Fixtures.meta(new LegacyService(), "apps", "mainframe", 0);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch("10.50.0.0/16", null, 24));
        spec.prefixes.add(new PrefixMatch("2001:db8:50::/48", null, 64));
        spec.addresses.addAll(List.of(addresses));
        var port = new LegacyServiceSpec.Port();
        port.name = "tn3270";
        port.port = 3270;
        spec.ports.add(port);
        service.setSpec(spec);
        return service;
    }

    LegacyService legacyService() {
        return client.resources(LegacyService.class)
                .inNamespace("apps")
                .withName("mainframe")
                .get();
    }

    /** Waits until the condition has the status and reason for the current generation. */
    LegacyService awaitCondition(String type, String status, String reason) {
        return Await.value(
                "LegacyService apps/mainframe " + type + "=" + status + "/" + reason,
                this::legacyService,
                l -> condition(l, type)
                        .filter(c -> c.getStatus().equals(status)
                                && c.getReason().equals(reason)
                                && c.getObservedGeneration()
                                        .equals(l.getMetadata().getGeneration()))
                        .isPresent());
    }

    static Optional<Condition> condition(LegacyService service, String type) {
        if (service == null || service.getStatus() == null) return Optional.empty();
        return service.getStatus().conditions.stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }

    Service service(String name) {
        return client.services().inNamespace("apps").withName(name).get();
    }

    EndpointSlice slice(String name) {
        return client.discovery()
                .v1()
                .endpointSlices()
                .inNamespace("apps")
                .withName(name)
                .get();
    }

    List<String> versions() {
        return List.of(
                service("mainframe").getMetadata().getResourceVersion(),
                slice("mainframe-ipv4").getMetadata().getResourceVersion(),
                slice("mainframe-ipv6").getMetadata().getResourceVersion(),
                legacyService().getMetadata().getResourceVersion());
    }

    static List<String> addresses(EndpointSlice slice) {
        return slice.getEndpoints().stream()
                .map(Endpoint::getAddresses)
                .flatMap(List::stream)
                .toList();
    }

    static void assertControlledBy(HasMetadata object, LegacyService owner) {
        assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
            assertThat(r.getApiVersion()).isEqualTo("meshgw.io/v1alpha1");
            assertThat(r.getKind()).isEqualTo("LegacyService");
            assertThat(r.getName()).isEqualTo("mainframe");
            assertThat(r.getUid()).isEqualTo(owner.getMetadata().getUid());
            assertThat(r.getController()).isTrue();
        });
    }

    static LearnedRoute route(String prefix) {
        return Fixtures.route(prefix, TOR);
    }
}
