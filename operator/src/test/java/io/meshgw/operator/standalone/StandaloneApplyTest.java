package io.meshgw.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeBgp;
import io.meshgw.operator.port.FakeDatapath;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.reconcile.FakeGateway;
import io.meshgw.operator.reconcile.PlanApplier;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Standalone mode end to end: a YAML file of every kind, parsed, sorted into a snapshot, applied through fakes. */
class StandaloneApplyTest {
    static final String OBJECTS = resource("objects.yaml");

    final FakeGateway gateway = FakeGateway.create();
    final CallLog log = gateway.log();
    final FakeBgp bgp = gateway.bgp();
    final FakeDatapath datapath = gateway.datapath();

    static String resource(String name) {
        try (var in = StandaloneApplyTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the gateway's standalone mode does with a file: read it, add the engines' read side, plan, apply. */
    Plan apply(String yaml) {
        var ports = gateway.ports();
        var plan = Planner.plan(ports.snapshot(SnapshotFromObjects.of(Fixtures.EAST, StandaloneObjects.parse(yaml))));
        new PlanApplier(ports).apply(plan);
        return plan;
    }

    @Test
    void everyKindOfTheFileReachesThePortsOnce() {
        var plan = apply(OBJECTS);
        assertThat(log.all())
                .containsExactly(
                        "applyTranslation shop/web 192.0.2.20",
                        "applyEgress pay/billing 198.51.100.0",
                        "announce 192.0.2.20/32",
                        "announce 198.51.100.0/32",
                        "applyPeer net/tor1",
                        "publish shop/web");

        var peer = bgp.appliedPeers().get(new ObjectKey("net", "tor1"));
        assertThat(peer.tcpMd5Password()).contains("s3cret");
        assertThat(peer.importPolicy()).isPresent();
        var rule = datapath.egressRules().get(new ObjectKey("pay", "billing"));
        // The source is IPv4, so the pod's IPv6 address is left out of the rule.
        assertThat(rule.podAddresses()).containsExactly(IpAddress.parse("10.0.2.7"));
        assertThat(rule.allowedPorts())
                .containsExactly(new PortRule(Protocol.TCP, 443), new PortRule(Protocol.UDP, 53));
        assertThat(datapath.translations().get(new ObjectKey("shop", "web")).ports())
                .singleElement()
                .satisfies(p -> assertThat(p.backends())
                        .singleElement()
                        .satisfies(b -> assertThat(b.address()).isEqualTo(IpAddress.parse("10.0.1.5"))));

        assertThat(plan.outcomes())
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
        assertThat(plan.outcomes())
                .allSatisfy(o ->
                        assertThat(o.ready()).as("%s: %s", o.ref(), o.message()).isTrue());
        assertThat(plan.outcomes().stream().filter(ObjectOutcome::degraded))
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
        var plan = apply(withoutExport);
        assertThat(log.all().subList(calls, log.all().size()))
                .containsExactly("withdraw 192.0.2.20/32", "removeTranslation shop/web", "unpublish shop/web");
        assertThat(plan.outcome(new io.meshgw.operator.port.ResourceRef("LegacyVipPool", ObjectKey.cluster("dc-vips"))))
                .hasValueSatisfying(o -> assertThat(o.message()).isEqualTo("0 allocated, 16 available"));
    }
}
