package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.WEST;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static io.meshgw.operator.desired.Fixtures.withRequestedVip;
import static io.meshgw.operator.desired.Fixtures.withStatusVip;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExportPlannerTest {
    static final ObjectKey WEB = new ObjectKey("shop", "web");
    static final ResourceRef WEB_REF = new ResourceRef("MeshServiceExport", WEB);
    static final IpPrefix VIP = IpPrefix.parse("192.0.2.0/32");

    Snapshot.Builder base() {
        return Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .services(List.of(service("shop", "web", "http", 80, "admin", 9000)))
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "10.1.0.7", "10.1.0.5", "10.1.0.9!")));
    }

    @Test
    void aReadyExportIsTranslatedAnnouncedAndPublished() {
        var state = Planner.plan(
                base().exports(List.of(export("shop", "web", 1, "vips"))).build());

        var translation = state.translations().get(WEB);
        assertThat(translation.vip()).isEqualTo(ip("192.0.2.0"));
        assertThat(translation.ports()).hasSize(2);
        var http = translation.ports().stream()
                .filter(p -> p.port().name().equals("http"))
                .findFirst()
                .orElseThrow();
        assertThat(http.port()).isEqualTo(ServicePort.tcp("http", 80));
        assertThat(http.backends()).containsExactly(local("10.1.0.5", 8080), local("10.1.0.7", 8080));
        assertThat(state.announcements()).containsOnlyKeys(VIP);
        assertThat(state.announcements().get(VIP).communities()).containsExactly(Community.parse("65000:100"));
        assertThat(state.exports().get(WEB).vip()).contains(ip("192.0.2.0"));

        var outcome = state.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Conflict").orElseThrow().status()).isEqualTo("False");
        assertThat(outcome.condition("Degraded").orElseThrow().status()).isEqualTo("False");
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Export(Optional.of(ip("192.0.2.0")), Map.of(EAST, 2)));
        assertThat(outcome.message())
                .isEqualTo("exported [admin=9000/TCP, http=80/TCP] to the mesh; legacy VIP 192.0.2.0 announced");
        assertThat(state.outcome(new ResourceRef("LegacyVipPool", ObjectKey.cluster("vips")))
                        .orElseThrow()
                        .fields())
                .isEqualTo(new StatusFields.Pool(1, 7));
    }

    @Test
    void onlyTheListedPortsAreExported() {
        var export = export("shop", "web", 1, null);
        export.getSpec().ports = List.of("admin");
        var state = Planner.plan(base().exports(List.of(export)).build());
        assertThat(state.exports().get(WEB).ports())
                .extracting(p -> p.port().name())
                .containsExactly("admin");
        assertThat(state.translations()).isEmpty();
        assertThat(state.announcements()).isEmpty();
    }

    @Test
    void withoutAReadyBackendAnywhereTheVipIsNotAnnounced() {
        var state = Planner.plan(base().endpointSlices(List.of())
                .exports(List.of(export("shop", "web", 1, "vips")))
                .build());
        assertThat(state.translations()).containsKey(WEB);
        assertThat(state.announcements()).isEmpty();
        var degraded =
                state.outcome(WEB_REF).orElseThrow().condition("Degraded").orElseThrow();
        assertThat(degraded)
                .isEqualTo(
                        ConditionState.degraded(true, "NoReadyBackends", "no cluster of the mesh has a ready backend"));
        assertThat(state.outcome(WEB_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .endsWith("legacy VIP 192.0.2.0 not announced");
    }

    @Test
    void aRemoteClustersReadyBackendKeepsTheVipAnnounced() {
        var snapshot = Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .services(List.of(service("shop", "web", "http", 80)))
                .exports(List.of(export("shop", "web", 5, "vips")))
                .remoteExports(List.of(remote(WEST, 9, 80)))
                .build();
        var state = Planner.plan(snapshot);
        assertThat(state.announcements()).containsOnlyKeys(VIP);
        assertThat(state.outcome(WEB_REF).orElseThrow().fields())
                .isEqualTo(new StatusFields.Export(Optional.of(ip("192.0.2.0")), Map.of(EAST, 0, WEST, 3)));
        assertThat(state.outcome(WEB_REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(false, "ReadyBackends", "3 ready backends in 1 clusters"));
    }

    @Test
    void theOlderClusterWinsAPortConflict() {
        var snapshot = Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .services(List.of(service("shop", "web", "http", 80)))
                .exports(List.of(export("shop", "web", 5, "vips")))
                .remoteExports(List.of(remote(WEST, 1, 8080)))
                .build();
        var state = Planner.plan(snapshot);
        assertThat(state.exports()).isEmpty();
        assertThat(state.translations()).isEmpty();
        assertThat(state.announcements()).isEmpty();
        var outcome = state.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isFalse();
        var conflict = outcome.condition("Conflict").orElseThrow();
        assertThat(conflict.status()).isEqualTo("True");
        assertThat(conflict.reason()).isEqualTo("PortConflict");
        assertThat(conflict.message()).contains("'west'").contains("80/TCP here but 8080/TCP there");
    }

    @Test
    void theOlderLocalExportWinsAndIsApplied() {
        var snapshot = Snapshot.builder(Fixtures.EAST)
                .services(List.of(service("shop", "web", "http", 80)))
                .exports(List.of(export("shop", "web", 1, null)))
                .remoteExports(List.of(remote(WEST, 9, 8080)))
                .build();
        var state = Planner.plan(snapshot);
        assertThat(state.exports()).containsKey(WEB);
        assertThat(state.outcome(WEB_REF)
                        .orElseThrow()
                        .condition("Conflict")
                        .orElseThrow()
                        .status())
                .isEqualTo("False");
    }

    @Test
    void aMissingServiceLeavesTheExportUnappliedButKeepsItsVip() {
        var snapshot = Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .exports(List.of(withStatusVip(export("shop", "web", 1, "vips"), "192.0.2.4")))
                .build();
        var state = Planner.plan(snapshot);
        assertThat(state.exports()).isEmpty();
        var outcome = state.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.condition("Ready").orElseThrow().reason()).isEqualTo("ServiceNotFound");
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Export(Optional.of(ip("192.0.2.4")), Map.of()));
    }

    @Test
    void aPortTheServiceLacksIsReported() {
        var export = export("shop", "web", 1, null);
        export.getSpec().ports = List.of("grpc");
        var state = Planner.plan(base().exports(List.of(export)).build());
        var ready = state.outcome(WEB_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.reason()).isEqualTo("PortNotFound");
        assertThat(ready.message()).contains("grpc");
    }

    @Test
    void aRequestedVipTakenByAnotherExportIsAConflict() {
        var holder = withStatusVip(export("shop", "api", 9, "vips"), "192.0.2.3");
        var web = withRequestedVip(export("shop", "web", 1, "vips"), "192.0.2.3");
        var state = Planner.plan(base().exports(List.of(holder, web)).build());
        var outcome = state.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.condition("Conflict").orElseThrow().reason()).isEqualTo("AddressInUse");
        assertThat(outcome.ready()).isFalse();
        assertThat(state.translations()).doesNotContainKey(WEB);
    }

    @Test
    void aRequestedVipOutsideEveryPoolIsAConflict() {
        var web = withRequestedVip(export("shop", "web", 1, "vips"), "203.0.113.9");
        var state = Planner.plan(base().exports(List.of(web)).build());
        var outcome = state.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.condition("Ready").orElseThrow().message())
                .isEqualTo("203.0.113.9 is outside every LegacyVipPool");
        assertThat(outcome.condition("Conflict").orElseThrow().status()).isEqualTo("True");
    }

    @Test
    void anExportBeingDeletedIsNotDesired() {
        var web = export("shop", "web", 1, "vips");
        web.getMetadata().setDeletionTimestamp("2026-01-02T00:00:00Z");
        var state = Planner.plan(base().exports(List.of(web)).build());
        assertThat(state.exports()).isEmpty();
        assertThat(state.announcements()).isEmpty();
        assertThat(state.outcome(WEB_REF)).isEmpty();
    }

    @Test
    void aPoolThatAnnouncesNothingStillTranslates() {
        var pool = vipPool("vips", "192.0.2.0/29");
        pool.getSpec().announce = false;
        var state = Planner.plan(base().vipPools(List.of(pool))
                .exports(List.of(export("shop", "web", 1, "vips")))
                .build());
        assertThat(state.translations()).containsKey(WEB);
        assertThat(state.announcements()).isEmpty();
    }

    /** Cluster {@code cluster}'s export of shop/web with port http={@code port}/TCP and three ready endpoints. */
    static RemoteExport remote(ClusterId cluster, int ageRank, int port) {
        return new RemoteExport(
                cluster,
                WEB,
                Fixtures.T0.plusSeconds(ageRank),
                List.of(ServicePort.tcp("http", port)),
                List.of(new RemoteExport.RemoteEndpoints(
                        "http", Protocol.TCP, 8080, List.of(ip("10.2.0.1"), ip("10.2.0.2"), ip("10.2.0.3")))));
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static Backend local(String address, int port) {
        return new Backend(ip(address), port, EAST, true);
    }

    @Test
    void aPortListedTwiceIsInvalid() {
        var export = export("shop", "web", 1, null);
        export.getSpec().ports = List.of("http", "admin", "http");
        var state = Planner.plan(base().exports(List.of(export)).build());
        assertThat(state.exports()).isEmpty();
        assertThat(state.outcome(WEB_REF).orElseThrow().condition("Ready").orElseThrow())
                .isEqualTo(ConditionState.ready(false, "Invalid", "spec.ports: listed more than once: [http]"));
    }

    @Test
    void onlyTheSameNamedServiceAndItsOwnSlicesAreRead() {
        var other = service("shop", "api", "http", 81);
        var elsewhere = slice("other", "web", "http", 8080, "10.9.0.1");
        var otherService = slice("shop", "api", "http", 8080, "10.9.0.2");
        var fqdn = slice("shop", "web", "http", 8080, "10.9.0.3");
        fqdn.setAddressType("FQDN");
        var otherPort = slice("shop", "web", "grpc", 8080, "10.9.0.4");
        var udp = slice("shop", "web", "http", 8080, "10.9.0.5");
        udp.getPorts().getFirst().setProtocol("UDP");
        var noPort = slice("shop", "web", "http", 8080, "10.9.0.6");
        noPort.getPorts().getFirst().setPort(0);
        var own = slice("shop", "web", "http", 8080, "10.1.0.5");
        var state = Planner.plan(base().services(List.of(other, service("shop", "web", "http", 80)))
                .endpointSlices(List.of(elsewhere, otherService, fqdn, otherPort, udp, noPort, own))
                .exports(List.of(export("shop", "web", 1, null)))
                .build());

        assertThat(state.exports().get(WEB).ports()).singleElement().satisfies(p -> {
            assertThat(p.port()).isEqualTo(ServicePort.tcp("http", 80));
            assertThat(p.backends()).containsExactly(local("10.1.0.5", 8080));
        });
    }

    @Test
    void aPoolsAnnounceSettingIsItsOwn() {
        var quiet = vipPool("quiet", "198.51.100.0/29");
        quiet.getSpec().announce = false;
        var state = Planner.plan(base().vipPools(List.of(quiet, vipPool("vips", "192.0.2.0/29")))
                .exports(List.of(export("shop", "web", 1, "vips")))
                .build());
        assertThat(state.announcements()).containsOnlyKeys(VIP);
    }

    @Test
    void aRequestedVipInAnEgressPoolIsOutsideEveryVipPool() {
        var web = withRequestedVip(export("shop", "web", 1, "vips"), "198.51.100.1");
        var state = Planner.plan(base().egressPools(List.of(Fixtures.egressPool("egress", "198.51.100.0/29")))
                .exports(List.of(web))
                .build());
        assertThat(state.outcome(WEB_REF).orElseThrow().reason()).isEqualTo("OutsidePools");
    }
}
