package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * meshgw between a datacenter's real routers: what it must never pass on to an eBGP router, and RFC 9234 roles with
 * routers that implement them.
 */
class ExportSafetyIT {

    private static final AtomicInteger NET = new AtomicInteger(246);
    private static final Duration UP = Duration.ofSeconds(45);
    private static final long OUR_AS = 65000;

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    /**
     * FRR, an iBGP router of our AS, announces a default route and a prefix of its own, both with an empty AS_PATH;
     * BIRD or OpenBGPD is an eBGP router. With the default export policy the eBGP router gets the gateway's own route
     * and neither of FRR's. The same session with the AS-path expression {@code ^(65000)?$} as the export policy,
     * which is how "originated" was once expressed, does pass FRR's default route to it: the check can tell the two
     * apart.
     */
    @ParameterizedTest
    @EnumSource(
            value = RouterKind.class,
            names = {"BIRD", "OPENBGPD"})
    void anIbgpRoutersDefaultRouteNeverReachesAnEbgpRouter(RouterKind ebgp) throws Exception {
        int a = NET.getAndIncrement();
        int b = NET.getAndIncrement();
        String toFrr = "10." + a + ".0.1";
        String frr = "10." + a + ".0.2";
        String oursToExternal = "10." + b + ".0.1";
        String externalAddress = "10." + b + ".0.2";
        String frrPrefix = "10.77." + a + ".0/24";
        Prefix ours = Prefix.parse("198.51.100." + (a % 200) + "/32");
        try (NetNs frrNs = NetNs.create("xif");
                NetNs externalNs = NetNs.create("xeb")) {
            frrNs.linkToHost(toFrr + "/30", "eth0", frr + "/30");
            externalNs.linkToHost(oursToExternal + "/30", "eth0", externalAddress + "/30");
            RouterSpec frrSpec = RouterSpec.of(
                    "frr", frr, OUR_AS, List.of(BgpNeighbor.of(toFrr, OUR_AS)), List.of("0.0.0.0/0", frrPrefix));
            RouterSpec externalSpec = RouterSpec.of(
                    ebgp.name().toLowerCase(),
                    externalAddress,
                    65010,
                    List.of(BgpNeighbor.of(oursToExternal, OUR_AS)),
                    List.of());
            try (BgpRouter internal =
                            BgpRouter.start(RouterKind.FRR, frrNs, frrSpec, Files.createDirectories(tmp.resolve("f")));
                    BgpRouter external =
                            BgpRouter.start(ebgp, externalNs, externalSpec, Files.createDirectories(tmp.resolve("b")));
                    BgpSpeaker speaker =
                            BgpSpeaker.start(new SpeakerConfig(OUR_AS, SpeakerConfig.routerId(toFrr), null, 179))) {
                speaker.addPeer(PeerConfig.builder("ibgp", InetAddress.ofLiteral(frr), OUR_AS)
                        .timers(InteropIT.quickTimers())
                        .exportPolicy(Policy.originatedOnly())
                        .build());
                PeerConfig.Builder toExternal = PeerConfig.builder(
                                "ebgp", InetAddress.ofLiteral(externalAddress), 65010)
                        .timers(InteropIT.quickTimers());
                speaker.addPeer(toExternal.exportPolicy(Policy.originatedOnly()).build());
                speaker.originate(ours, List.of());

                assertThat(BgpRouter.await(
                                UP,
                                () -> speaker.bestRoutes().containsKey(Prefix.parse("0.0.0.0/0"))
                                        && speaker.bestRoutes().containsKey(Prefix.parse(frrPrefix))))
                        .as("FRR's routes reach meshgw; speaker %s; FRR log %s", speaker.peers(), internal.logTail())
                        .isTrue();
                assertThat(BgpRouter.await(UP, () -> external.holds(ours.toString())))
                        .as(
                                "our own route reaches %s; speaker %s; its log %s",
                                ebgp, speaker.peers(), external.logTail())
                        .isTrue();
                // Both of FRR's routes were in the Loc-RIB before the eBGP router got ours: had they been exported,
                // they
                // would be in the same or an earlier UPDATE. A moment more covers the router reading its socket.
                Thread.sleep(2000);
                assertThat(external.receivedPrefixes()).containsExactly(ours.toString());

                speaker.removePeer("ebgp");
                Policy byAsPath = new Policy(
                        "as-path-only",
                        List.of(new Statement(
                                "empty-or-ours",
                                List.of(Condition.AsPathMatches.of("^(" + OUR_AS + ")?$")),
                                List.of(),
                                Statement.Disposition.ACCEPT)),
                        false);
                speaker.addPeer(toExternal.exportPolicy(byAsPath).build());
                assertThat(BgpRouter.await(UP, () -> external.holds("0.0.0.0/0")))
                        .as("the AS-path expression lets FRR's default route through: the attack is real")
                        .isTrue();
            }
        }
    }

    /**
     * The router is our provider and says so; meshgw is its customer, in strict mode. The session comes up, the
     * provider's route carries OTC (added by the router on its way down, or by meshgw on the way in), and meshgw's own
     * route goes up. Then meshgw claims to be the provider too, and the session is refused with Role Mismatch.
     */
    @ParameterizedTest
    @EnumSource(
            value = RouterKind.class,
            names = {"BIRD", "FRR", "OPENBGPD"})
    void rolesNegotiateWithTheRouterAndAMismatchIsRefused(RouterKind kind) throws Exception {
        int net = NET.getAndIncrement();
        String ourAddress = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        String theirPrefix = "10.78." + net + ".0/24";
        Prefix ours = Prefix.parse("198.51.100." + (net % 200) + "/32");
        try (NetNs ns = NetNs.create("rl" + kind.name().toLowerCase().charAt(0))) {
            ns.linkToHost(ourAddress + "/30", "eth0", theirs + "/30");
            RouterSpec spec = RouterSpec.of(
                    kind.name().toLowerCase(),
                    theirs,
                    65010,
                    List.of(BgpNeighbor.of(ourAddress, OUR_AS).withRole("provider", true)),
                    List.of(theirPrefix));
            try (BgpRouter router = BgpRouter.start(kind, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(
                            OUR_AS, SpeakerConfig.routerId(ourAddress), InetAddress.ofLiteral(ourAddress), 179))) {
                PeerConfig.Builder peer = PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers())
                        .exportPolicy(Policy.originatedOnly());
                speaker.addPeer(
                        peer.localRole(BgpRole.CUSTOMER).strictRole(true).build());
                speaker.originate(ours, List.of());

                assertThat(BgpRouter.await(
                                UP, () -> speaker.peer("dc").orElseThrow().state() == State.ESTABLISHED))
                        .as(
                                "%s as provider, meshgw as customer; speaker %s; log %s",
                                kind, speaker.peer("dc"), router.logTail())
                        .isTrue();
                assertThat(BgpRouter.await(UP, () -> speaker.bestRoutes().containsKey(Prefix.parse(theirPrefix))))
                        .isTrue();
                assertThat(speaker.bestRoutes().get(Prefix.parse(theirPrefix)).get(PathAttribute.OnlyToCustomer.class))
                        .as("from a provider, a route may only go down to customers")
                        .contains(new PathAttribute.OnlyToCustomer(65010));
                assertThat(BgpRouter.await(UP, () -> router.holds(ours.toString())))
                        .as("our own route goes up to the provider; router log %s", router.logTail())
                        .isTrue();

                speaker.removePeer("dc");
                speaker.addPeer(peer.localRole(BgpRole.PROVIDER).build());
                assertThat(BgpRouter.await(
                                UP,
                                () -> speaker.peer("dc")
                                        .orElseThrow()
                                        .lastError()
                                        .filter(e -> e.contains("BGP role provider but ours is provider")
                                                || e.contains("received notification 2/11"))
                                        .isPresent()))
                        .as(
                                "both claim to be the provider; speaker %s; router log %s",
                                speaker.peer("dc"), router.logTail())
                        .isTrue();
                assertThat(speaker.peer("dc").orElseThrow().state()).isNotEqualTo(State.ESTABLISHED);
                assertThat(router.established(ourAddress)).isFalse();
            }
        }
    }
}
