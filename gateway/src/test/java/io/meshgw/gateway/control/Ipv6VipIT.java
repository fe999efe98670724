package io.meshgw.gateway.control;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.bpf.datapath.TableChange;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.TunnelTable;
import io.meshgw.gateway.bgp.BgpAdapter;
import io.meshgw.gateway.datapath.DatapathAdapter;
import io.meshgw.gateway.datapath.DatapathTables;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.CallLog;
import io.meshgw.operator.port.FakeMesh;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PassObserver;
import io.meshgw.operator.reconcile.PlanApplier;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import io.meshgw.types.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IPv6 VIP through the gateway's own chain, on real parts: the planner plans with the capabilities the datapath
 * adapter reports, the plan applier writes the real tc datapath's maps through the adapter's table mapping and then
 * originates the VIP in the speaker, which announces it to BIRD over an IPv6 session; a legacy host reaches the pod
 * through the VIP.
 *
 * <pre>
 *  legacy 2001:db8:2::5 (BIRD, AS 65010) --- 2001:db8:2::1 [lg0 gateway cl0] fd00:1::1 --- fd00:1::10 pod
 *  speaker AS 65000 in the gateway namespace; VIP pool 2001:db8:100::10/128; shop/web http=80 -> pod :8080
 * </pre>
 */
class Ipv6VipIT {

    static final String VIP = "2001:db8:100::10";
    static final Duration UP = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    /** The kernel's maps as the adapter's target; refuses while {@code failing}, as a failed map write does. */
    static final class KernelTables implements DatapathTables {
        final Datapath dp;
        volatile boolean failing;

        KernelTables(Datapath dp) {
            this.dp = dp;
        }

        @Override
        public void apply(TranslationTable table) {
            if (failing) throw new IllegalStateException("map write failed");
            dp.apply(table);
        }

        @Override
        public boolean apply(TableChange change) {
            if (failing) throw new IllegalStateException("map write failed");
            return dp.apply(change).isPresent();
        }

        @Override
        public void apply(TunnelTable tunnels) {
            dp.applyTunnels(tunnels);
        }

        @Override
        public void apply(io.meshgw.bpf.datapath.SteeringTable steering) {
            dp.applySteering(steering);
        }
    }

    static Snapshot.Builder webOnAnIpv6Vip() {
        return Snapshot.builder(EAST)
                .vipPools(List.of(vipPool("v6", VIP + "/128")))
                .services(List.of(Fixtures.service("shop", "web", "http", 80)))
                .endpointSlices(List.of(slice("shop", "web", "http", 8080, "fd00:1::10")))
                .exports(List.of(export("shop", "web", 1, "v6")));
    }

    static FsmTimers quickTimers() {
        return new FsmTimers(
                Duration.ofSeconds(2),
                Duration.ofSeconds(9),
                Duration.ofSeconds(3),
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                Duration.ofSeconds(5));
    }

    static CommandResult tcp(NetNs from, String target) {
        return from.exec(Duration.ofSeconds(10), "socat", "-t", "3", "-", "TCP6:" + target + ",connect-timeout=3");
    }

    @Test
    void anIpv6VipWithIpv6BackendsIsProgrammedThenAnnouncedToBirdAndReachable() throws Exception {
        try (NetNs legacy = NetNs.create("v6vl");
                NetNs gw = NetNs.create("v6vg");
                NetNs pod = NetNs.create("v6vp")) {
            NetNs.link(legacy, "eth0", "2001:db8:2::5/64", gw, "lg0", "2001:db8:2::1/64");
            NetNs.link(gw, "cl0", "fd00:1::1/64", pod, "eth0", "fd00:1::10/64");
            legacy.exec("ip", "-6", "route", "add", VIP + "/128", "via", "2001:db8:2::1")
                    .check();
            pod.exec("ip", "-6", "route", "add", "default", "via", "fd00:1::1").check();
            gw.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").check();
            pod.spawn(
                    List.of("socat", "TCP6-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo backend saw $SOCAT_PEERADDR"),
                    tmp.resolve("pod.log"));

            RouterSpec spec = RouterSpec.of(
                    "bird", "10.62.0.5", 65010, List.of(BgpNeighbor.of("2001:db8:2::1", 65000)), List.of());
            try (BgpRouter bird =
                            BgpRouter.start(RouterKind.BIRD, legacy, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = ThreadNetns.call(
                            gw,
                            () -> BgpSpeaker.start(new SpeakerConfig(
                                    65000, SpeakerConfig.routerId("10.62.0.1"), InetAddress.ofLiteral("::"), 179)));
                    Datapath dp = ThreadNetns.call(
                            gw, () -> Datapath.open(DatapathOptions.detached().withInterfaces("lg0", "cl0")))) {
                try {
                    ThreadNetns.run(
                            gw,
                            () -> speaker.addPeer(
                                    PeerConfig.builder("dc", InetAddress.ofLiteral("2001:db8:2::5"), 65010)
                                            .timers(quickTimers())
                                            .families(Set.of(Afi.IPV6))
                                            .exportPolicy(Policy.acceptAll())
                                            .build()));
                    assertThat(BgpRouter.await(
                                    UP, () -> speaker.peer("dc").orElseThrow().state() == State.ESTABLISHED))
                            .as("the IPv6 session; speaker says %s; log %s", speaker.peer("dc"), bird.logTail())
                            .isTrue();

                    KernelTables tables = new KernelTables(dp);
                    DatapathAdapter datapath = new DatapathAdapter(tables);
                    BgpAdapter bgp = new BgpAdapter(() -> Optional.of(speaker), () -> Set.of("dc"), () -> 65000L);
                    PlanApplier applier = new PlanApplier(new GatewayPorts(
                            bgp,
                            datapath,
                            new FakeMesh(new CallLog()),
                            plan -> {},
                            ControlPlane.capabilities(datapath),
                            PassObserver.NONE));
                    Plan plan = Planner.plan(webOnAnIpv6Vip()
                            .capabilities(ControlPlane.capabilities(datapath))
                            .build());
                    assertThat(plan.announcements())
                            .as("planned as translated: %s", plan.outcomes())
                            .containsOnlyKeys(IpPrefix.parse(VIP + "/128"));

                    tables.failing = true;
                    assertThatThrownBy(() -> applier.applyToNode(plan)).hasMessageContaining("datapath");
                    assertThat(speaker.originated())
                            .as("maps not written: the VIP is not announced")
                            .isEmpty();

                    tables.failing = false;
                    applier.applyToNode(plan);
                    assertThat(BgpRouter.await(UP, () -> bird.receivedPrefixes().contains(VIP + "/128")))
                            .as("BIRD learns the VIP; it has %s; log %s", bird.receivedPrefixes(), bird.logTail())
                            .isTrue();
                    assertThat(bird.routeDetails(VIP + "/128"))
                            .as("with the gateway's global address on the link as its next hop")
                            .contains("2001:db8:2::1");
                    assertThat(tcp(legacy, "[" + VIP + "]:80").stdout().strip())
                            .as("the pod answers through the VIP, and sees the legacy host's own address")
                            .isEqualTo("backend saw [2001:0db8:0002:0000:0000:0000:0000:0005]");
                } finally {
                    ThreadNetns.run(gw, dp::detach);
                }
            }
        }
    }
}
