package io.meshgw.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.ObjectOutcome;
import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeBgp;
import io.meshgw.operator.port.FakeDatapath;
import io.meshgw.operator.port.FakeMesh;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PortRule;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PortApplier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Standalone mode end to end: a YAML file of every kind, parsed, sorted into a snapshot, applied through fakes. */
class StandaloneApplyTest {
    static final String OBJECTS = resource("objects.yaml");

    final CallLog log = new CallLog();
    final FakeBgp bgp = new FakeBgp(log);
    final FakeDatapath datapath = new FakeDatapath(log);
    final FakeMesh mesh = new FakeMesh(log);
    final PortApplier applier = new PortApplier(new GatewayPorts(bgp, bgp, datapath, mesh));

    static String resource(String name) {
        try (var in = StandaloneApplyTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DesiredState apply(String yaml) {
        return applier.apply(SnapshotFromObjects.of("east", StandaloneObjects.parse(yaml))
                .remoteExports(mesh.remoteExports())
                .sessions(bgp.sessions())
                .learnedRoutes(bgp.learnedRoutes())
                .build());
    }

    @Test
    void everyKindOfTheFileReachesThePortsOnce() {
        var desired = apply(OBJECTS);
        assertThat(log.all())
                .containsExactly(
                        "applyTranslation shop/web 192.0.2.20",
                        "applyEgress pay/billing 198.51.100.0",
                        "announce 192.0.2.20/32",
                        "announce 198.51.100.0/32",
                        "applyPeer net/tor1",
                        "publish shop/web");

        var peer = bgp.appliedPeers().get(new ObjectKey("net", "tor1"));
        assertThat(peer.tcpMd5Password()).isEqualTo("s3cret");
        assertThat(peer.importPolicy()).isNotNull();
        var rule = datapath.egressRules().get(new ObjectKey("pay", "billing"));
        assertThat(rule.sourceAddresses()).containsExactly("10.0.2.7", "fd00::2:7");
        assertThat(rule.allowedPorts()).containsExactly(new PortRule("TCP", 443), new PortRule("UDP", 53));
        assertThat(datapath.translations().get(new ObjectKey("shop", "web")).ports())
                .singleElement()
                .satisfies(p -> assertThat(p.backends())
                        .singleElement()
                        .satisfies(b -> assertThat(b.address()).isEqualTo("10.0.1.5")));

        assertThat(desired.outcomes())
                .extracting(o -> o.ref().toString())
                .containsExactlyInAnyOrder(
                        "BgpPolicy/net/from-dc",
                        "BgpPeer/net/tor1",
                        "LegacyVipPool/dc-vips",
                        "EgressIpPool/dc-egress",
                        "MeshServiceExport/shop/web",
                        "EgressIdentity/pay/billing",
                        "LegacyService/apps/mainframe",
                        "MeshCluster/west");
        assertThat(desired.outcomes())
                .allSatisfy(o ->
                        assertThat(o.ready()).as("%s: %s", o.ref(), o.message()).isTrue());
        assertThat(desired.outcomes().stream().filter(ObjectOutcome::degraded))
                .extracting(o -> o.ref().kind() + " " + o.reason())
                .containsExactlyInAnyOrder("BgpPeer SessionNotStarted", "LegacyService NoRoute");
    }

    @Test
    void theSameFileAppliedAgainMakesNoCalls() {
        apply(OBJECTS);
        int calls = log.all().size();
        apply(OBJECTS);
        assertThat(log.all()).hasSize(calls);
    }

    @Test
    void anExportRemovedFromTheFileIsWithdrawnThenRemoved() {
        apply(OBJECTS);
        int calls = log.all().size();
        var withoutExport = String.join(
                "---\n",
                List.of(OBJECTS.split("(?m)^---\n")).stream()
                        .filter(doc -> !doc.contains("kind: MeshServiceExport"))
                        .toList());
        var desired = apply(withoutExport);
        assertThat(log.all().subList(calls, log.all().size()))
                .containsExactly("withdraw 192.0.2.20/32", "removeTranslation shop/web", "unpublish shop/web");
        assertThat(desired.outcome(
                        new io.meshgw.operator.port.ResourceRef("LegacyVipPool", ObjectKey.cluster("dc-vips"))))
                .hasValueSatisfying(o -> assertThat(o.message()).isEqualTo("0 allocated, 16 available"));
    }
}
