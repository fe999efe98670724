package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bpf.fib.FibOptions;
import io.meshgw.bpf.fib.KernelFib;
import io.meshgw.bpf.fib.RouteFailure;
import io.meshgw.bpf.fib.RouteInstaller;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.BirdRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speaker's learned routes in a real kernel table, with two BIRD routers in AS 65010 announcing to a gateway
 * namespace where the speaker (its event loop started there) and the rtnetlink socket live:
 *
 * <pre>
 *   bird r1 10.61.1.2 --- g1 10.61.1.1 [gateway ns: speaker AS 65000, KernelFib] g2 10.61.2.1 --- 10.61.2.2 bird r2
 *   r1 announces 192.0.2.0/24, 203.0.113.0/24          r2 announces 192.0.2.0/24
 * </pre>
 */
class LearnedRoutesIT {

    private static final Duration UP = Duration.ofSeconds(45);
    private static final String SHARED = "192.0.2.0/24";

    @TempDir
    Path tmp;

    private final Map<String, Integer> refused = new ConcurrentHashMap<>();

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    private static FsmTimers quickTimers() {
        return new FsmTimers(
                Duration.ofSeconds(2),
                Duration.ofSeconds(9),
                Duration.ofSeconds(3),
                Duration.ofSeconds(30),
                Duration.ofMillis(500),
                Duration.ofSeconds(5));
    }

    private static BgpSpeaker speakerIn(NetNs gw) {
        // The speaker's one event-loop thread starts here, inside the namespace, and stays in it.
        return ThreadNetns.call(gw, () -> {
            BgpSpeaker s = BgpSpeaker.start(new SpeakerConfig(
                    65000, SpeakerConfig.routerId("10.61.1.1"), InetAddress.ofLiteral("0.0.0.0"), 179));
            for (String router : List.of("10.61.1.2", "10.61.2.2")) {
                s.addPeer(PeerConfig.builder("r" + router.charAt(6), InetAddress.ofLiteral(router), 65010)
                        .timers(quickTimers())
                        .build());
            }
            return s;
        });
    }

    private LearnedRoutes install(NetNs gw, BgpSpeaker speaker, Duration grace) {
        return install(gw, speaker, grace, Duration.ofSeconds(10));
    }

    private LearnedRoutes install(NetNs gw, BgpSpeaker speaker, Duration grace, Duration repair) {
        RouteInstaller installer =
                ThreadNetns.call(gw, () -> RouteInstaller.adopt(KernelFib.open(FibOptions.defaults()), 8));
        return LearnedRoutes.start(
                speaker, installer, grace, repair, (RouteFailure f) -> refused.merge(f.errnoName(), 1, Integer::sum));
    }

    /** The gateway's two links, g1 to router 1 (10.61.1.0/24) and g2 to router 2 (10.61.2.0/24). */
    private static void linkRouters(NetNs gw, NetNs n1, NetNs n2) {
        NetNs.link(gw, "g1", "10.61.1.1/24", n1, "r1", "10.61.1.2/24");
        NetNs.link(gw, "g2", "10.61.2.1/24", n2, "r2", "10.61.2.2/24");
    }

    /** BIRD as router {@code index} (1 or 2) in {@code ns}, peered with the gateway, originating {@code prefixes}. */
    private BirdRouter router(NetNs ns, int index, List<String> prefixes) throws java.io.IOException {
        return (BirdRouter) BgpRouter.start(
                RouterKind.BIRD,
                ns,
                RouterSpec.of(
                        "r" + index,
                        "10.61." + index + ".2",
                        65010,
                        List.of(BgpNeighbor.of("10.61." + index + ".1", 65000)),
                        prefixes),
                Files.createDirectories(tmp.resolve("r" + index)));
    }

    private static String route(NetNs gw, String prefix) {
        return gw.exec("ip", "-4", "route", "show", prefix).check().stdout().strip();
    }

    private static boolean ecmp(NetNs gw) {
        String r = route(gw, SHARED);
        return r.contains("proto 200")
                && r.contains("nexthop via 10.61.1.2 dev g1")
                && r.contains("nexthop via 10.61.2.2 dev g2");
    }

    private static boolean via(NetNs gw, String gateway, String dev) {
        return route(gw, SHARED).equals(SHARED + " via " + gateway + " dev " + dev + " proto 200 metric 20");
    }

    private static void await(String what, BooleanSupplier condition, Object... context) {
        assertThat(BgpRouter.await(UP, condition)).as(what, context).isTrue();
    }

    @Test
    void learnedRoutesFollowBgpWithEcmpWithdrawalSessionLossAndARestart() throws Exception {
        try (NetNs gw = NetNs.create("lrg");
                NetNs n1 = NetNs.create("lr1");
                NetNs n2 = NetNs.create("lr2")) {
            linkRouters(gw, n1, n2);
            // Another protocol's route to a prefix r1 announces, at meshgw's metric; and a route a previous run of
            // meshgw left for a prefix nobody announces any more.
            gw.exec("ip", "route", "add", "203.0.113.0/24", "via", "10.61.2.2", "proto", "static", "metric", "20")
                    .check();
            gw.exec("ip", "route", "add", "198.18.0.0/15", "via", "10.61.1.2", "proto", "200", "metric", "20")
                    .check();
            String staticRoute = route(gw, "203.0.113.0/24");

            BirdRouter r1 = router(n1, 1, List.of(SHARED, "203.0.113.0/24"));
            try (BirdRouter r2 = router(n2, 2, List.of(SHARED))) {
                BgpSpeaker speaker = speakerIn(gw);
                LearnedRoutes learned = install(gw, speaker, Duration.ofSeconds(20));

                await(
                        "ECMP over both routers; table: %s",
                        () -> ecmp(gw), gw.exec("ip", "route").stdout());
                assertThat(route(gw, "198.18.0.0/15"))
                        .as("the previous run's route stays while the sessions come back")
                        .contains("proto 200");
                assertThat(route(gw, "203.0.113.0/24"))
                        .as("another protocol's route is never replaced")
                        .isEqualTo(staticRoute);
                await("the refusal counted", () -> refused.getOrDefault("EEXIST", 0) >= 1);

                await(
                        "the previous run's route is removed after the grace",
                        () -> route(gw, "198.18.0.0/15").isEmpty());

                r2.stopOriginating();
                await("r2's withdrawal leaves r1; %s", () -> via(gw, "10.61.1.2", "g1"), route(gw, SHARED));
                r2.startOriginating();
                await("r2 back: ECMP again", () -> ecmp(gw));

                r1.close();
                await("r1's session lost: r2 alone; %s", () -> via(gw, "10.61.2.2", "g2"), route(gw, SHARED));
                assertThat(route(gw, "203.0.113.0/24")).isEqualTo(staticRoute);

                // A restart: the routes stay in the kernel while the gateway is away ...
                learned.close(true);
                speaker.close();
                assertThat(via(gw, "10.61.2.2", "g2")).as("kept over the stop").isTrue();
                gw.exec("ip", "route", "add", "198.19.0.0/16", "via", "10.61.2.2", "proto", "200", "metric", "20")
                        .check();
                BgpSpeaker again = speakerIn(gw);
                LearnedRoutes relearned = install(gw, again, Duration.ofSeconds(25));
                assertThat(via(gw, "10.61.2.2", "g2"))
                        .as("kept through the start")
                        .isTrue();
                await(
                        "r2 back",
                        () -> again.peer("r2").orElseThrow().state().name().equals("ESTABLISHED"));
                // ... and what no session gives again is gone after the grace, while the route r2 gives again stays.
                await("stale route reconciled", () -> route(gw, "198.19.0.0/16").isEmpty());
                assertThat(via(gw, "10.61.2.2", "g2"))
                        .as("r2's route, learned again, stays")
                        .isTrue();

                relearned.close(false);
                again.close();
                assertThat(gw.exec("ip", "route", "show", "proto", "200")
                                .check()
                                .stdout())
                        .as("a stop without keep takes every route of meshgw's away")
                        .isBlank();
                assertThat(route(gw, "203.0.113.0/24")).isEqualTo(staticRoute);
            }
        }
    }

    /**
     * The kernel drops routes behind the gateway's back: an operator's {@code ip route del}, and a link that goes down
     * and comes back (every route over it goes, and none returns with it). Nothing changes in BGP, so nothing would
     * install them again; the repair puts them back within its interval, and the sessions never notice.
     */
    @Test
    void routesTheKernelLostArePutBackWithoutAnyChangeInBgp() throws Exception {
        try (NetNs gw = NetNs.create("lrk");
                NetNs n1 = NetNs.create("lk1");
                NetNs n2 = NetNs.create("lk2")) {
            linkRouters(gw, n1, n2);
            String own = "203.0.113.0/24";
            try (BirdRouter r1 = router(n1, 1, List.of(SHARED, own));
                    BirdRouter r2 = router(n2, 2, List.of(SHARED))) {
                BgpSpeaker speaker = speakerIn(gw);
                LearnedRoutes learned = install(gw, speaker, Duration.ofSeconds(1), Duration.ofSeconds(1));
                try {
                    await(
                            "ECMP over both routers; table: %s",
                            () -> ecmp(gw), gw.exec("ip", "route").stdout());
                    await("r1's own prefix installed", () -> route(gw, own).contains("via 10.61.1.2 dev g1 proto 200"));
                    long flaps = speaker.peer("r1").orElseThrow().flaps();

                    gw.exec("ip", "route", "del", own, "proto", "200").check();
                    assertThat(route(gw, own)).isEmpty();
                    await(
                            "a route deleted by hand is put back; table: %s",
                            () -> !route(gw, own).isEmpty(), "");
                    assertThat(route(gw, own)).isEqualTo(own + " via 10.61.1.2 dev g1 proto 200 metric 20");

                    gw.exec("ip", "link", "set", "g1", "down").check();
                    gw.exec("ip", "link", "set", "g1", "up").check();
                    await(
                            "the routes over a link that went down and came back are put back; %s",
                            () -> route(gw, own).equals(own + " via 10.61.1.2 dev g1 proto 200 metric 20") && ecmp(gw),
                            gw.exec("ip", "route").stdout());
                    assertThat(learned.repaired())
                            .as("the repair put them back")
                            .isGreaterThanOrEqualTo(2);
                    assertThat(speaker.peer("r1").orElseThrow().flaps())
                            .as("r1's session stayed up: nothing in BGP brought the routes back")
                            .isEqualTo(flaps);
                } finally {
                    learned.close(false);
                    speaker.close();
                }
            }
        }
    }
}
