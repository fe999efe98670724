package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.pod;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the engines cannot do is known to the planner: it is left out of the plan, and status says so instead of
 * reporting Ready for something no engine applies.
 */
class CapabilitiesPlanTest {
    static final ObjectKey WEB = new ObjectKey("shop", "web");
    static final ResourceRef WEB_REF = new ResourceRef("MeshServiceExport", WEB);
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");
    static final ResourceRef BILLING_REF = new ResourceRef("EgressIdentity", BILLING);

    /** shop/web with ports http=80/TCP and, when given, more ports; one ready IPv4 backend. */
    static Snapshot.Builder web(String pool, String... vipPoolCidrs) {
        return Snapshot.builder(EAST)
                .vipPools(List.of(vipPool(pool, vipPoolCidrs)))
                .services(List.of(Fixtures.service("shop", "web", "http", 80)))
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "10.1.0.5")))
                .exports(List.of(export("shop", "web", 1, pool)));
    }

    /** A datapath that translates IPv4 alone, as before IPv6 VIPs were translated. */
    static final Capabilities IPV4_ONLY = new Capabilities(
            Set.of(IpFamily.IPV4),
            Set.of(IpFamily.IPV4),
            Set.of(Protocol.TCP, Protocol.UDP),
            100,
            Set.of(Protocol.TCP, Protocol.UDP));

    @Test
    void anIpv6VipIsNotReadyNotTranslatedNotAnnouncedButStillPublishedWhereTheDatapathTranslatesIpv4Only() {
        var plan = Planner.plan(
                web("v6", "2001:db8:5::/120").capabilities(IPV4_ONLY).build());

        assertThat(plan.translations()).isEmpty();
        assertThat(plan.announcements()).isEmpty();
        assertThat(plan.exports()).containsKey(WEB);
        assertThat(plan.exports().get(WEB).vip())
                .as("other clusters are not told of a VIP that reaches no backend")
                .isEmpty();
        var outcome = plan.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isFalse();
        var ready = outcome.condition("Ready").orElseThrow();
        assertThat(ready.reason()).isEqualTo("VipNotTranslated");
        assertThat(ready.message())
                .isEqualTo("VIP 2001:db8:5:: is IPv6 and the datapath translates IPv4 only, so the VIP is neither"
                        + " translated nor announced; exported [http=80/TCP] to the mesh all the same");
        assertThat(outcome.conflict()).isFalse();
        assertThat(outcome.degraded()).isFalse();
    }

    @Test
    void anIpv6VipIsTranslatedOnceTheDatapathSaysItCan() {
        var dualStack = new Capabilities(
                Set.of(IpFamily.IPV4, IpFamily.IPV6),
                Set.of(IpFamily.IPV4),
                Set.of(Protocol.TCP, Protocol.UDP),
                100,
                Set.of(Protocol.TCP));
        var plan = Planner.plan(web("v6", "2001:db8:5::/120")
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "10.1.0.5", "fd00::5")))
                .capabilities(dualStack)
                .build());

        var translation = plan.translations().get(WEB);
        assertThat(translation.vip()).isEqualTo(IpAddress.parse("2001:db8:5::"));
        assertThat(translation.ports().getFirst().backends())
                .extracting(b -> b.address().toString())
                .containsExactly("fd00::5");
        assertThat(plan.announcements()).containsOnlyKeys(IpPrefix.parse("2001:db8:5::/128"));
        assertThat(plan.exports().get(WEB).vip()).contains(IpAddress.parse("2001:db8:5::"));
        assertThat(plan.outcome(WEB_REF).orElseThrow().ready()).isTrue();
    }

    @Test
    void thisReleaseTranslatesAndAnnouncesAnIpv6VipWithIpv6Backends() {
        var plan = Planner.plan(web("v6", "2001:db8:5::/120")
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "fd00::5", "fd00::6")))
                .build());

        assertThat(plan.translations().get(WEB).ports().getFirst().backends())
                .extracting(b -> b.address().toString())
                .containsExactly("fd00::5", "fd00::6");
        assertThat(plan.announcements()).containsOnlyKeys(IpPrefix.parse("2001:db8:5::/128"));
        var outcome = plan.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Ready").orElseThrow().message())
                .isEqualTo("exported [http=80/TCP] to the mesh; legacy VIP 2001:db8:5:: announced");
    }

    /** shop/web with an SCTP port beside http: a Service the API server accepts, the engines cannot carry. */
    static Snapshot.Builder withSctp(Snapshot.Builder web, boolean http) {
        var service = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP");
        if (http)
            service.addNewPort()
                    .withName("http")
                    .withProtocol("TCP")
                    .withPort(80)
                    .endPort();
        service.addNewPort()
                .withName("diameter")
                .withProtocol("SCTP")
                .withPort(3868)
                .endPort();
        return web.services(List.of(service.endSpec().build()));
    }

    @Test
    void anSctpPortIsLeftOutOfTheTranslationAndTheExportAndNamedInDegraded() {
        var plan = Planner.plan(withSctp(web("vips", "192.0.2.0/29"), true).build());

        assertThat(plan.translations().get(WEB).ports())
                .extracting(p -> p.port())
                .containsExactly(ServicePort.tcp("http", 80));
        assertThat(plan.exports().get(WEB).ports())
                .extracting(p -> p.port().name())
                .containsExactly("http");
        assertThat(plan.announcements()).containsOnlyKeys(IpPrefix.parse("192.0.2.0/32"));
        var outcome = plan.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true, "PortsNotExported", "[diameter=3868/SCTP] left out: the mesh carries TCP, UDP only"));
    }

    @Test
    void anExportOfSctpPortsOnlyIsNotReadyAndNothingIsApplied() {
        var plan = Planner.plan(withSctp(web("vips", "192.0.2.0/29"), false).build());

        assertThat(plan.exports()).isEmpty();
        assertThat(plan.translations()).isEmpty();
        assertThat(plan.announcements()).isEmpty();
        var ready = plan.outcome(WEB_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready)
                .isEqualTo(ConditionState.ready(
                        false,
                        "ProtocolNotSupported",
                        "no port can be exported: [diameter=3868/SCTP] is not carried by the mesh, which carries"
                                + " TCP, UDP only"));
    }

    @Test
    void aPortTheMeshCarriesButTheDatapathDoesNotTranslateIsPublishedOnly() {
        var tcpOnly = new Capabilities(
                Set.of(IpFamily.IPV4),
                Set.of(IpFamily.IPV4),
                Set.of(Protocol.TCP),
                100,
                Set.of(Protocol.TCP, Protocol.UDP));
        var service = Fixtures.service("shop", "web", "http", 80);
        service.getSpec()
                .getPorts()
                .add(new io.fabric8.kubernetes.api.model.ServicePortBuilder()
                        .withName("dns")
                        .withProtocol("UDP")
                        .withPort(53)
                        .build());
        var plan = Planner.plan(web("vips", "192.0.2.0/29")
                .services(List.of(service))
                .capabilities(tcpOnly)
                .build());

        assertThat(plan.exports().get(WEB).ports())
                .extracting(p -> p.port().name())
                .containsExactly("dns", "http");
        assertThat(plan.translations().get(WEB).ports())
                .extracting(p -> p.port().name())
                .containsExactly("http");
        var degraded = plan.outcome(WEB_REF).orElseThrow().condition("Degraded").orElseThrow();
        assertThat(degraded.reason()).isEqualTo("PortsNotTranslated");
        assertThat(degraded.message()).isEqualTo("[dns=53/UDP] not translated: the datapath translates TCP only");
    }

    /**
     * A pool of both families, IPv4 listed first, and a Service whose cluster IPs are IPv6 (spec.ipFamilies): its VIP
     * is IPv6, of its backends' family, not the pool's first address, which no backend could serve.
     */
    @Test
    void aServicesVipFromAPoolOfBothFamiliesIsOfTheServicesFamily() {
        var v6 = Fixtures.service("shop", "web", "http", 80);
        v6.getSpec().setIpFamilies(List.of("IPv6"));
        var snapshot = web("vips", "192.0.2.0/29", "2001:db8:5::/120")
                .services(List.of(v6))
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "fd00::5")));

        var plan = Planner.plan(snapshot.build());
        assertThat(plan.translations().get(WEB).vip()).isEqualTo(IpAddress.parse("2001:db8:5::"));
        assertThat(plan.translations().get(WEB).ports().getFirst().backends()).hasSize(1);
        assertThat(plan.announcements()).containsOnlyKeys(IpPrefix.parse("2001:db8:5::/128"));
        assertThat(plan.outcome(WEB_REF).orElseThrow().ready()).isTrue();

        var planner = new Planner();
        planner.next(snapshot.services(List.of()).build());
        assertThat(planner.next(snapshot.services(List.of(v6)).build()))
                .as("a Service that appears after its export: the VIP moves to its family, as a fresh pass plans it")
                .isEqualTo(Planner.plan(snapshot.services(List.of(v6)).build()));
    }

    @Test
    void aVipWhoseReadyBackendsAreAllOfTheOtherFamilyIsNotAnnounced() {
        var plan = Planner.plan(web("vips", "192.0.2.0/29")
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "fd00::5")))
                .build());

        assertThat(plan.translations().get(WEB).ports().getFirst().backends()).isEmpty();
        assertThat(plan.exports().get(WEB).ports().getFirst().backends()).hasSize(1);
        assertThat(plan.announcements()).isEmpty();
        var outcome = plan.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "NoBackendOfVipFamily",
                        "no ready backend has an IPv4 address like VIP 192.0.2.0, so the VIP is not announced"));
    }

    static Plan egress(EgressIdentityConfig config) {
        var identity = egressIdentity("pay", "billing", 1, "egress");
        identity.getSpec().destinations = config.destinations();
        return Planner.plan(Snapshot.builder(EAST)
                .egressPools(List.of(egressPool("egress", config.pool())))
                .egressIdentities(List.of(identity))
                .pods(List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1", "fd00::1")))
                .build());
    }

    record EgressIdentityConfig(String pool, List<String> destinations) {}

    @Test
    void anIpv6EgressSourceIsNotReadyAndNothingIsTranslatedOrAnnounced() {
        var plan = egress(new EgressIdentityConfig("2001:db8:e::/126", List.of("2001:db8:20::/48")));

        assertThat(plan.egressRules()).isEmpty();
        assertThat(plan.announcements()).isEmpty();
        var outcome = plan.outcome(BILLING_REF).orElseThrow();
        assertThat(outcome.condition("Ready").orElseThrow())
                .isEqualTo(ConditionState.ready(
                        false,
                        "SourceNotTranslated",
                        "source 2001:db8:e:: is IPv6 and the datapath SNATs to IPv4 only; nothing is translated"
                                + " or announced"));
        assertThat(outcome.fields())
                .isEqualTo(new StatusFields.Egress(java.util.Optional.of(IpAddress.parse("2001:db8:e::"))));
    }

    /**
     * A pool of both families, IPv6 listed first: the identity gets a source the datapath SNATs to, not the pool's
     * first address, and one that was given an IPv6 source before moves to IPv4.
     */
    @Test
    void aPoolOfBothFamiliesGivesAnIdentityASourceOfAFamilyTheDatapathTranslates() {
        var identity = egressIdentity("pay", "billing", 1, "egress");
        identity.getSpec().destinations = List.of("10.20.0.0/16", "2001:db8:20::/48");
        var snapshot = Snapshot.builder(EAST)
                .egressPools(List.of(egressPool("egress", "2001:db8:e::/126", "198.51.100.0/30")))
                .egressIdentities(List.of(identity))
                .pods(List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1", "fd00::1")));

        var plan = Planner.plan(snapshot.build());
        assertThat(plan.egressRules().get(BILLING).source()).isEqualTo(IpAddress.parse("198.51.100.0"));
        assertThat(plan.outcome(BILLING_REF).orElseThrow().ready()).isTrue();

        identity.setStatus(new io.meshgw.operator.crd.EgressIdentityStatus());
        identity.getStatus().assignedSourceIp = "2001:db8:e::1";
        var moved = Planner.plan(snapshot.egressIdentities(List.of(identity)).build());
        assertThat(moved.egressRules().get(BILLING).source())
                .as("an IPv6 source it could not use is given up for an IPv4 one")
                .isEqualTo(IpAddress.parse("198.51.100.0"));
    }

    @Test
    void destinationsOfTheOtherFamilyAreLeftOutOfTheRuleAndNamed() {
        var plan = egress(new EgressIdentityConfig(
                "198.51.100.0/30", List.of("2001:db8:20::/48", "10.30.0.0/16", "10.20.0.0/16", "10.20.0.0/16")));

        var rule = plan.egressRules().get(BILLING);
        assertThat(rule.destinations()).containsExactly(IpPrefix.parse("10.20.0.0/16"), IpPrefix.parse("10.30.0.0/16"));
        assertThat(rule.podAddresses()).containsExactly(IpAddress.parse("10.0.0.1"));
        var outcome = plan.outcome(BILLING_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "DestinationsNotTranslated",
                        "[2001:db8:20::/48] left out: a IPv4 source translates only toward IPv4 destinations"));
    }

    @Test
    void anIdentityWithNoDestinationOfItsSourcesFamilyIsNotReady() {
        var plan = egress(new EgressIdentityConfig("198.51.100.0/30", List.of("2001:db8:20::/48")));

        assertThat(plan.egressRules()).isEmpty();
        assertThat(plan.announcements()).isEmpty();
        var ready = plan.outcome(BILLING_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.reason()).isEqualTo("NoDestinationOfSourceFamily");
        assertThat(ready.message()).contains("198.51.100.0").contains("2001:db8:20::/48");
    }

    @Test
    void anIdentityThatCannotApplyKeepsNoPodFromAYoungerOneThatCan() {
        var older = egressIdentity("pay", "old6", 1, null);
        older.getSpec().requestedSourceIp = "2001:db8:e::1";
        var younger = egressIdentity("pay", "billing", 2, null);
        younger.getSpec().requestedSourceIp = "198.51.100.1";
        var plan = Planner.plan(Snapshot.builder(EAST)
                .egressPools(List.of(egressPool("v4", "198.51.100.0/30"), egressPool("v6", "2001:db8:e::/126")))
                .egressIdentities(List.of(older, younger))
                .pods(List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1")))
                .build());

        assertThat(plan.egressRules()).containsOnlyKeys(BILLING);
        assertThat(plan.egressRules().get(BILLING).podAddresses()).containsExactly(IpAddress.parse("10.0.0.1"));
        assertThat(plan.outcome(BILLING_REF).orElseThrow().conflict()).isFalse();
    }

    @Test
    void aProblemThatKeepsTheVipFromBeingAnnouncedIsTheReasonOthersFollowInTheMessage() {
        var plan = Planner.plan(withSctp(web("vips", "192.0.2.0/29"), true)
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "fd00::5")))
                .build());

        assertThat(plan.announcements()).isEmpty();
        assertThat(plan.outcome(WEB_REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "NoBackendOfVipFamily",
                        "no ready backend has an IPv4 address like VIP 192.0.2.0, so the VIP is not announced;"
                                + " [diameter=3868/SCTP] left out: the mesh carries TCP, UDP only"));
    }
}
