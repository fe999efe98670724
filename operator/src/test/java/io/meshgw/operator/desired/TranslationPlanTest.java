package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.WEST;
import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.IdentityNumbers;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.RemoteExport.RemoteEndpoints;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each translation carries this cluster's ready backends and those the other clusters publish for the same port,
 * as one list the datapath takes as it is: merged, once each, in {@link Backend} order, of the VIP's family, capped.
 */
class TranslationPlanTest {
    static final ObjectKey WEB = new ObjectKey("shop", "web");
    static final ResourceRef WEB_REF = new ResourceRef("MeshServiceExport", WEB);
    static final ClusterId NORTH = new ClusterId(3, "north");

    /** shop/web with a VIP and port http=80/TCP; local ready backends on target port 8080. */
    static Snapshot.Builder web(String... localEndpoints) {
        return Snapshot.builder(EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .services(List.of(service("shop", "web", "http", 80)))
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, localEndpoints)))
                .exports(List.of(export("shop", "web", 1, "vips")));
    }

    static RemoteExport remote(ClusterId cluster, RemoteEndpoints... endpoints) {
        return new RemoteExport(
                cluster, WEB, Fixtures.T0.plusSeconds(9), List.of(ServicePort.tcp("http", 80)), List.of(endpoints));
    }

    static RemoteEndpoints http(int targetPort, String... ready) {
        return new RemoteEndpoints("http", Protocol.TCP, targetPort, ips(ready));
    }

    static List<IpAddress> ips(String... addresses) {
        return Stream.of(addresses).map(IpAddress::parse).toList();
    }

    static Backend backend(String address, int port, ClusterId cluster) {
        return new Backend(IpAddress.parse(address), port, cluster, cluster.equals(EAST));
    }

    static List<Backend> backends(Plan plan) {
        return plan.translations().get(WEB).ports().getFirst().backends();
    }

    @Test
    void localBackendsComeFirstThenEachRemoteClusterInIdOrderWithItsOwnTargetPort() {
        var plan = Planner.plan(web("10.1.0.7", "10.1.0.5")
                .remoteExports(List.of(
                        remote(NORTH, http(9090, "10.3.0.1")), remote(WEST, http(8443, "10.2.0.9", "10.2.0.1"))))
                .build());

        assertThat(backends(plan))
                .containsExactly(
                        backend("10.1.0.5", 8080, EAST),
                        backend("10.1.0.7", 8080, EAST),
                        backend("10.2.0.1", 8443, WEST),
                        backend("10.2.0.9", 8443, WEST),
                        backend("10.3.0.1", 9090, NORTH));
        assertThat(plan.outcome(WEB_REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(false, "ReadyBackends", "5 ready backends in 3 clusters"));
    }

    @Test
    void theMeshExportCarriesTheLocalBackendsOnly() {
        var plan = Planner.plan(web("10.1.0.5")
                .remoteExports(List.of(remote(WEST, http(8443, "10.2.0.1"))))
                .build());

        assertThat(plan.exports().get(WEB).ports().getFirst().backends())
                .containsExactly(backend("10.1.0.5", 8080, EAST));
    }

    @Test
    void anAddressAndPortListedTwiceIsKeptOnceWhereItComesFirst() {
        var plan = Planner.plan(web("10.1.0.5")
                .remoteExports(List.of(
                        remote(NORTH, http(8080, "10.1.0.5", "10.2.0.1")),
                        remote(WEST, http(8080, "10.2.0.1"), http(8080, "10.2.0.1")),
                        remote(WEST, http(8081, "10.2.0.1"))))
                .build());

        assertThat(backends(plan))
                .containsExactly(
                        backend("10.1.0.5", 8080, EAST),
                        backend("10.2.0.1", 8080, WEST),
                        backend("10.2.0.1", 8081, WEST));
    }

    @Test
    void onlyRemoteEndpointsOfThePortsNameAndProtocolAreUsed() {
        var plan = Planner.plan(web("10.1.0.5")
                .remoteExports(List.of(remote(
                        WEST,
                        new RemoteEndpoints("admin", Protocol.TCP, 9000, ips("10.2.0.1")),
                        new RemoteEndpoints("http", Protocol.UDP, 8080, ips("10.2.0.2")),
                        http(8080, "10.2.0.3"))))
                .build());

        assertThat(backends(plan)).containsExactly(backend("10.1.0.5", 8080, EAST), backend("10.2.0.3", 8080, WEST));
    }

    @Test
    void backendsOfTheOtherFamilyThanTheVipAreLeftOut() {
        var plan = Planner.plan(web("10.1.0.5", "fd00::5")
                .remoteExports(List.of(remote(WEST, http(8080, "fd00:2::1", "10.2.0.1"))))
                .build());

        assertThat(backends(plan)).containsExactly(backend("10.1.0.5", 8080, EAST), backend("10.2.0.1", 8080, WEST));
        assertThat(plan.exports().get(WEB).ports().getFirst().backends())
                .extracting(b -> b.address().toString())
                .containsExactly("10.1.0.5", "fd00::5");
    }

    /** The twin for an IPv6 VIP: the other clusters' IPv6 backends join its local ones, their IPv4 ones do not. */
    @Test
    void anIpv6VipTakesTheIpv6BackendsOfEveryCluster() {
        var plan = Planner.plan(web("10.1.0.5", "fd00::5")
                .vipPools(List.of(vipPool("vips", "2001:db8:5::/120")))
                .remoteExports(List.of(
                        remote(WEST, http(8443, "10.2.0.1", "fd00:2::1")), remote(NORTH, http(9090, "fd00:3::1"))))
                .build());

        assertThat(plan.translations().get(WEB).vip()).isEqualTo(IpAddress.parse("2001:db8:5::"));
        assertThat(backends(plan))
                .containsExactly(
                        backend("fd00::5", 8080, EAST),
                        backend("fd00:2::1", 8443, WEST),
                        backend("fd00:3::1", 9090, NORTH));
    }

    @Test
    void anExportThisClusterReadsBackFromTheMeshIsNotARemoteOne() {
        var plan = Planner.plan(web("10.1.0.5")
                .remoteExports(List.of(remote(EAST, http(8080, "10.9.0.1"))))
                .build());

        assertThat(backends(plan)).containsExactly(backend("10.1.0.5", 8080, EAST));
    }

    @Test
    void aPortKeepsAtMostTheBackendsTheDatapathHoldsLocalOnesFirstAndStatusSaysSo() {
        var small = new Capabilities(
                Capabilities.DATAPATH.translatedFamilies(),
                Capabilities.DATAPATH.egressFamilies(),
                Capabilities.DATAPATH.translatedProtocols(),
                3,
                Capabilities.DATAPATH.publishedProtocols());
        var plan = Planner.plan(web("10.1.0.5", "10.1.0.6")
                .remoteExports(List.of(remote(WEST, http(8080, "10.2.0.2", "10.2.0.1"))))
                .capabilities(small)
                .build());

        assertThat(backends(plan))
                .containsExactly(
                        backend("10.1.0.5", 8080, EAST),
                        backend("10.1.0.6", 8080, EAST),
                        backend("10.2.0.1", 8080, WEST));
        var outcome = plan.outcome(WEB_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(
                        true,
                        "BackendsCapped",
                        "port http=80/TCP has 4 ready backends and the datapath holds 3 per port: the first 3 are"
                                + " used, local ones first"));
    }

    @Test
    void exactlyAsManyBackendsAsTheDatapathHoldsAreNotCapped() {
        var three = new Capabilities(
                Set.of(IpFamily.IPV4), Set.of(IpFamily.IPV4), Set.of(Protocol.TCP), 3, Set.of(Protocol.TCP));
        var plan = Planner.plan(
                web("10.1.0.5", "10.1.0.6", "10.1.0.7").capabilities(three).build());

        assertThat(backends(plan)).hasSize(3);
        assertThat(plan.outcome(WEB_REF).orElseThrow().degraded()).isFalse();
    }

    @Test
    void translationsAndEgressRulesTakeTheirIdentityFromTheNamesOfThePass() {
        var api = export("shop", "api", 2, "vips");
        var plan = Planner.plan(web("10.1.0.5")
                .services(List.of(service("shop", "web", "http", 80), service("shop", "api", "http", 80)))
                .exports(List.of(export("shop", "web", 1, "vips"), api))
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(egressIdentity("pay", "billing", 1, "egress")))
                .build());

        var apiKey = new ObjectKey("shop", "api");
        var billing = new ObjectKey("pay", "billing");
        var expected = IdentityNumbers.assign(
                Set.of(IdentityNumbers.service(WEB), IdentityNumbers.service(apiKey), IdentityNumbers.egress(billing)));
        assertThat(plan.translations().get(WEB).identity()).isEqualTo(expected.get(IdentityNumbers.service(WEB)));
        assertThat(plan.translations().get(apiKey).identity()).isEqualTo(expected.get(IdentityNumbers.service(apiKey)));
        assertThat(plan.egressRules().get(billing).identity()).isEqualTo(expected.get(IdentityNumbers.egress(billing)));
        assertThat(Stream.of(
                        plan.translations().get(WEB).identity(),
                        plan.translations().get(apiKey).identity(),
                        plan.egressRules().get(billing).identity()))
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).isGreaterThanOrEqualTo(IdentityNumbers.FIRST));
    }

    /** Two names whose FNV-1a hashes collide: the number of the second depends on whether the first is planned. */
    static final ObjectKey FIRST = new ObjectKey("shop", "web-453406");

    static final ObjectKey SECOND = new ObjectKey("shop", "web-6299");

    @Test
    void numbersAreAssignedOverTheNamesThatAreTranslatedInThisPass() {
        var alone = Planner.plan(collidingExports(false).build());
        var both = Planner.plan(collidingExports(true).build());

        int hash = alone.translations().get(SECOND).identity();
        assertThat(both.translations().get(FIRST).identity()).isEqualTo(hash);
        assertThat(both.translations().get(SECOND).identity())
                .as("probed past the first name in name order")
                .isEqualTo(hash + 1);
    }

    @Test
    void anExportWithoutAVipTakesNoNumber() {
        var plan = Planner.plan(collidingExports(false)
                .exports(List.of(export("shop", "web-6299", 1, "vips"), export("shop", "web-453406", 2, null)))
                .build());

        assertThat(plan.translations()).containsOnlyKeys(SECOND);
        assertThat(plan.translations().get(SECOND).identity())
                .isEqualTo(Planner.plan(collidingExports(false).build())
                        .translations()
                        .get(SECOND)
                        .identity());
    }

    static Snapshot.Builder collidingExports(boolean both) {
        var exports = both
                ? List.of(export("shop", "web-6299", 1, "vips"), export("shop", "web-453406", 2, "vips"))
                : List.of(export("shop", "web-6299", 1, "vips"));
        return Snapshot.builder(EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .services(List.of(service("shop", "web-6299", "http", 80), service("shop", "web-453406", "http", 80)))
                .exports(exports);
    }
}
