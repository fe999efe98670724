package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
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
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * meshgw's speaker against BIRD, FRR and GoBGP from Debian, each in its own namespace linked to
 * the test JVM's namespace: the session comes up and routes flow both ways with their
 * attributes.
 */
class InteropIT {

    private static final AtomicInteger NET = new AtomicInteger(230);
    private static final Duration UP = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
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

    static Stream<Arguments> routersAndFamilies() {
        return Stream.of(RouterKind.BIRD, RouterKind.FRR, RouterKind.GOBGP)
                .flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    @ParameterizedTest(name = "{0} ipv6={1}")
    @MethodSource("routersAndFamilies")
    void sessionComesUpAndRoutesFlowBothWaysWithTheirAttributes(RouterKind kind, boolean v6) throws Exception {
        int net = NET.getAndIncrement();
        String ours = v6 ? "fd00:" + net + "::1" : "10." + net + ".0.1";
        String theirs = v6 ? "fd00:" + net + "::2" : "10." + net + ".0.2";
        String ourId = "10." + net + ".0.1";
        String theirId = "10." + net + ".0.2";
        long theirAsn = kind == RouterKind.GOBGP ? 4200000010L : 65010; // GoBGP side exercises 4-octet AS
        String theirPrefix = v6 ? "fd10:" + net + "::/48" : "10.10." + net + ".0/24";
        Prefix ourPrefix = Prefix.parse(v6 ? "2001:db8:" + net + "::/48" : "198.51.100." + (net % 200) + "/32");
        try (NetNs ns = NetNs.create(kind.name().toLowerCase().substring(0, 3))) {
            ns.linkToHost(ours + (v6 ? "/64" : "/30"), "eth0", theirs + (v6 ? "/64" : "/30"));
            RouterSpec spec = RouterSpec.of(
                            kind.name().toLowerCase(),
                            theirId,
                            theirAsn,
                            List.of(BgpNeighbor.of(ours, 65000)),
                            List.of(theirPrefix))
                    .withTags(new RouterSpec.RouteTags(List.of("65010:7"), List.of("65010:0:7"), 30));
            try (BgpRouter router = BgpRouter.start(kind, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(
                            65000, SpeakerConfig.routerId(ourId), InetAddress.ofLiteral(ours), 179))) {
                PeerConfig.Builder peer = PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), theirAsn)
                        .timers(quickTimers())
                        .exportPolicy(Policy.acceptAll());
                if (v6) {
                    peer.families(Set.of(Afi.IPV6)); // the next hop is the session's own address
                }
                speaker.addPeer(peer.build());
                speaker.originate(
                        ourPrefix,
                        List.of(
                                new PathAttribute.Communities(List.of(65000L << 16 | 100)),
                                new PathAttribute.LargeCommunities(
                                        List.of(new PathAttribute.LargeCommunities.Large(65000, 1, 2))),
                                new PathAttribute.MultiExitDisc(50)));

                assertThat(BgpRouter.await(
                                UP, () -> speaker.peer("dc").orElseThrow().state() == State.ESTABLISHED))
                        .as("%s session; speaker says %s; router log %s", kind, speaker.peer("dc"), router.logTail())
                        .isTrue();
                assertThat(BgpRouter.await(UP, () -> speaker.bestRoutes().containsKey(Prefix.parse(theirPrefix))))
                        .as("%s's prefix reaches meshgw", kind)
                        .isTrue();
                RouteAttributes learned = speaker.bestRoutes().get(Prefix.parse(theirPrefix));
                assertThat(learned.get(PathAttribute.AsPath.class).orElseThrow().flatten())
                        .containsExactly(theirAsn);
                assertThat(learned.get(PathAttribute.Communities.class)
                                .orElseThrow()
                                .values())
                        .contains(65010L << 16 | 7);
                assertThat(learned.get(PathAttribute.LargeCommunities.class)
                                .orElseThrow()
                                .values())
                        .contains(new PathAttribute.LargeCommunities.Large(65010, 0, 7));
                if (kind != RouterKind.BIRD) { // BIRD does not send a static route's MED to an eBGP peer
                    assertThat(learned.get(PathAttribute.MultiExitDisc.class)
                                    .orElseThrow()
                                    .value())
                            .isEqualTo(30);
                }

                assertThat(BgpRouter.await(UP, () -> router.receivedPrefixes().contains(ourPrefix.toString())))
                        .as(
                                "meshgw's prefix reaches %s; speaker %s; router has %s; log %s",
                                kind, speaker.peer("dc"), router.receivedPrefixes(), router.logTail())
                        .isTrue();
                String details = router.routeDetails(ourPrefix.toString());
                switch (kind) {
                    case BIRD -> assertThat(details).contains("(65000,100)", "(65000, 1, 2)", "BGP.med: 50");
                    case FRR -> assertThat(details).contains("65000:100", "65000:1:2", "\"metric\":50");
                    default -> assertThat(details).contains("4259840100", "\"ASN\":65000", "\"metric\":50");
                }
                PeerStatus st = speaker.peer("dc").orElseThrow();
                assertThat(st.prefixesAccepted()).isEqualTo(1);
                assertThat(st.prefixesAdvertised()).isEqualTo(1);
                assertThat(st.messagesReceived()).isGreaterThan(2);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void tcpMd5WithFrrComesUpOnlyWithTheRightPassword() throws Exception {
        int net = NET.getAndIncrement();
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        try (NetNs ns = NetNs.create("md5")) {
            ns.linkToHost(ours + "/30", "eth0", theirs + "/30");
            RouterSpec spec = RouterSpec.of(
                    "frr", theirs, 65010, List.of(BgpNeighbor.of(ours, 65000).withPassword("s3cret")), List.of());
            try (BgpRouter frr = BgpRouter.start(RouterKind.FRR, ns, spec, Files.createDirectories(tmp.resolve("f")));
                    BgpSpeaker speaker = BgpSpeaker.start(
                            new SpeakerConfig(65000, SpeakerConfig.routerId(ours), InetAddress.ofLiteral(ours), 179))) {
                PeerConfig.Builder base = PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(quickTimers());
                speaker.addPeer(base.md5Password("wrong").build());
                assertThat(BgpRouter.await(Duration.ofSeconds(8), () -> frr.established(ours)))
                        .as("a wrong TCP-MD5 password keeps the session down")
                        .isFalse();
                speaker.removePeer("dc");
                speaker.addPeer(base.md5Password("s3cret").build());
                assertThat(BgpRouter.await(UP, () -> frr.established(ours)))
                        .as("the right password; speaker says %s", speaker.peer("dc"))
                        .isTrue();
            }
        }
    }

    /**
     * RFC 4724 with BIRD as the helper: meshgw's speaker (a separate process) is killed without a
     * NOTIFICATION; BIRD keeps its routes, stale, while it is away; after the restart End-of-RIB
     * clears the route the restarted speaker no longer announces and keeps the one it does.
     */
    @org.junit.jupiter.api.Test
    void birdKeepsOurRoutesWhileWeRestartAndClearsStaleOnesAfterwards() throws Exception {
        int net = NET.getAndIncrement();
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        System.setProperty(
                io.meshgw.testkit.routers.MeshgwRouter.CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
        System.setProperty(io.meshgw.testkit.routers.MeshgwRouter.GRACEFUL_RESTART_PROPERTY, "60");
        try (NetNs meshgwNs = NetNs.create("gra");
                NetNs birdNs = NetNs.create("grb")) {
            NetNs.link(meshgwNs, "m0", ours + "/30", birdNs, "b0", theirs + "/30");
            RouterSpec birdSpec = RouterSpec.of("bird", theirs, 65010, List.of(BgpNeighbor.of(ours, 65000)), List.of());
            List<BgpNeighbor> toBird = List.of(BgpNeighbor.of(theirs, 65010));
            try (BgpRouter bird =
                    BgpRouter.start(RouterKind.BIRD, birdNs, birdSpec, Files.createDirectories(tmp.resolve("b")))) {
                var first = (io.meshgw.testkit.routers.MeshgwRouter) BgpRouter.start(
                        RouterKind.MESHGW,
                        meshgwNs,
                        RouterSpec.of("meshgw", ours, 65000, toBird, List.of("198.51.100.1/32", "198.51.100.2/32")),
                        Files.createDirectories(tmp.resolve("m1")));
                assertThat(BgpRouter.await(
                                UP,
                                () -> bird.receivedPrefixes()
                                        .containsAll(List.of("198.51.100.1/32", "198.51.100.2/32"))))
                        .as("routes before the restart; speaker log %s", first.logTail())
                        .isTrue();

                first.kill();
                Thread.sleep(3000);
                assertThat(bird.established(ours)).as("the session is down").isFalse();
                assertThat(bird.receivedPrefixes())
                        .as("BIRD keeps the routes of a restarting peer")
                        .contains("198.51.100.1/32", "198.51.100.2/32");

                try (var second = BgpRouter.start(
                        RouterKind.MESHGW,
                        meshgwNs,
                        RouterSpec.of("meshgw", ours, 65000, toBird, List.of("198.51.100.1/32")),
                        Files.createDirectories(tmp.resolve("m2")))) {
                    assertThat(BgpRouter.await(UP, () -> bird.established(ours)))
                            .isTrue();
                    // Both at one moment: an empty table (BIRD flushed the stale routes before the restarted
                    // speaker announced) is no answer yet.
                    assertThat(BgpRouter.await(UP, () -> {
                                var received = bird.receivedPrefixes();
                                return received.contains("198.51.100.1/32") && !received.contains("198.51.100.2/32");
                            }))
                            .as(
                                    "after End-of-RIB the re-announced route is there and the other one cleared: %s",
                                    bird.receivedPrefixes())
                            .isTrue();
                }
            } finally {
                System.clearProperty(io.meshgw.testkit.routers.MeshgwRouter.GRACEFUL_RESTART_PROPERTY);
            }
        }
    }

    /**
     * An orderly stop (SIGTERM): with graceful restart configured the speaker drops the session
     * without a NOTIFICATION and BIRD keeps our routes for the restart; without it the speaker
     * sends a Cease and BIRD withdraws them at once.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void anOrderlyStopKeepsOurRoutesOnlyWhenGracefulRestartIsConfigured(boolean gracefulRestart) throws Exception {
        int net = NET.getAndIncrement();
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        System.setProperty(
                io.meshgw.testkit.routers.MeshgwRouter.CLASSPATH_PROPERTY, System.getProperty("java.class.path"));
        if (gracefulRestart) {
            System.setProperty(io.meshgw.testkit.routers.MeshgwRouter.GRACEFUL_RESTART_PROPERTY, "60");
        }
        try (NetNs meshgwNs = NetNs.create("gsa");
                NetNs birdNs = NetNs.create("gsb")) {
            NetNs.link(meshgwNs, "m0", ours + "/30", birdNs, "b0", theirs + "/30");
            RouterSpec birdSpec = RouterSpec.of("bird", theirs, 65010, List.of(BgpNeighbor.of(ours, 65000)), List.of());
            try (BgpRouter bird = BgpRouter.start(
                    RouterKind.BIRD, birdNs, birdSpec, Files.createDirectories(tmp.resolve("gs" + net)))) {
                var speaker = BgpRouter.start(
                        RouterKind.MESHGW,
                        meshgwNs,
                        RouterSpec.of(
                                "meshgw",
                                ours,
                                65000,
                                List.of(BgpNeighbor.of(theirs, 65010)),
                                List.of("198.51.100.7/32")),
                        Files.createDirectories(tmp.resolve("gsm" + net)));
                assertThat(BgpRouter.await(UP, () -> bird.receivedPrefixes().contains("198.51.100.7/32")))
                        .isTrue();
                speaker.close(); // SIGTERM, shutdown hook runs
                assertThat(BgpRouter.await(UP, () -> !bird.established(ours))).isTrue();
                Thread.sleep(1000);
                if (gracefulRestart) {
                    assertThat(bird.receivedPrefixes())
                            .as("kept, stale, for the restart")
                            .contains("198.51.100.7/32");
                } else {
                    assertThat(bird.receivedPrefixes())
                            .as("withdrawn after the Cease")
                            .doesNotContain("198.51.100.7/32");
                }
            } finally {
                System.clearProperty(io.meshgw.testkit.routers.MeshgwRouter.GRACEFUL_RESTART_PROPERTY);
            }
        }
    }

    /** Starts a router of {@code kind} in a fresh namespace linked to the speaker's, returns both. */
    private record Pair(NetNs ns, BgpRouter router, BgpSpeaker speaker, String ours, String theirs)
            implements AutoCloseable {
        @Override
        public void close() {
            speaker.close();
            router.close();
            ns.close();
        }
    }

    private Pair pair(RouterKind kind, long theirAsn, List<String> originate) throws Exception {
        int net = NET.getAndIncrement();
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        NetNs ns = NetNs.create(kind.name().toLowerCase().substring(0, 3));
        ns.linkToHost(ours + "/30", "eth0", theirs + "/30");
        BgpRouter router = BgpRouter.start(
                kind,
                ns,
                RouterSpec.of("r", theirs, theirAsn, List.of(BgpNeighbor.of(ours, 65000)), originate),
                Files.createDirectories(tmp.resolve("p" + net)));
        BgpSpeaker speaker = BgpSpeaker.start(
                new SpeakerConfig(65000, SpeakerConfig.routerId(ours), InetAddress.ofLiteral(ours), 179));
        return new Pair(ns, router, speaker, ours, theirs);
    }

    @org.junit.jupiter.api.Test
    void aPeerOverItsPrefixLimitIsCeasedAndItsRoutesGo() throws Exception {
        try (Pair p = pair(RouterKind.BIRD, 65010, List.of("10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"))) {
            p.speaker()
                    .addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(p.theirs()), 65010)
                            .timers(quickTimers())
                            .maxPrefixes(2)
                            .build());
            assertThat(BgpRouter.await(
                            UP,
                            () -> p.speaker()
                                    .peer("dc")
                                    .orElseThrow()
                                    .lastError()
                                    .orElse("")
                                    .contains("maximum IPV4 prefixes 2 exceeded")))
                    .as("speaker says %s", p.speaker().peer("dc"))
                    .isTrue();
            assertThat(BgpRouter.await(
                            UP, () -> readLog(p.router().logFile()).contains("Maximum number of prefixes reached")))
                    .as("BIRD logged our Cease/1 (RFC 4486)")
                    .isTrue();
            PeerStatus st = p.speaker().peer("dc").orElseThrow();
            assertThat(st.prefixesAccepted()).as("its routes are gone").isZero();
            assertThat(st.state()).as("it stays down until started again").isEqualTo(State.IDLE);
            assertThat(st.flaps()).isEqualTo(1);
        }
    }

    @org.junit.jupiter.api.Test
    void routeRefreshFromFrrGetsTheTableAgain() throws Exception {
        try (Pair p = pair(RouterKind.FRR, 65010, List.of())) {
            p.speaker()
                    .addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(p.theirs()), 65010)
                            .timers(quickTimers())
                            .exportPolicy(Policy.acceptAll())
                            .build());
            p.speaker().originate(Prefix.parse("198.51.100.200/32"), List.of());
            assertThat(BgpRouter.await(UP, () -> p.router().receivedPrefixes().contains("198.51.100.200/32")))
                    .isTrue();
            long sentBefore = p.speaker().peer("dc").orElseThrow().messagesSent();
            long receivedBefore = p.speaker().peer("dc").orElseThrow().messagesReceived();

            ((io.meshgw.testkit.routers.FrrRouter) p.router()).vtysh("clear bgp " + p.ours() + " soft in");

            assertThat(BgpRouter.await(
                            UP,
                            () -> p.speaker().peer("dc").orElseThrow().messagesReceived() > receivedBefore
                                    && p.speaker().peer("dc").orElseThrow().messagesSent() > sentBefore))
                    .as(
                            "the ROUTE-REFRESH arrived and the table went out again: %s",
                            p.speaker().peer("dc"))
                    .isTrue();
            assertThat(p.speaker().peer("dc").orElseThrow().state()).isEqualTo(State.ESTABLISHED);
            assertThat(p.router().receivedPrefixes()).contains("198.51.100.200/32");
        }
    }

    @org.junit.jupiter.api.Test
    void ibgpCarriesLocalPrefBothWays() throws Exception {
        try (Pair p = pair(RouterKind.BIRD, 65000, List.of("10.30.1.0/24"))) {
            p.speaker()
                    .addPeer(PeerConfig.builder("core", InetAddress.ofLiteral(p.theirs()), 65000)
                            .timers(quickTimers())
                            .exportPolicy(Policy.acceptAll())
                            .build());
            p.speaker().originate(Prefix.parse("198.51.100.201/32"), List.of());
            assertThat(BgpRouter.await(UP, () -> p.speaker().bestRoutes().containsKey(Prefix.parse("10.30.1.0/24"))))
                    .isTrue();
            assertThat(p.speaker()
                            .bestRoutes()
                            .get(Prefix.parse("10.30.1.0/24"))
                            .get(PathAttribute.LocalPref.class))
                    .as("LOCAL_PREF from an internal peer")
                    .isPresent();
            assertThat(BgpRouter.await(UP, () -> p.router().receivedPrefixes().contains("198.51.100.201/32")))
                    .isTrue();
            assertThat(p.router().routeDetails("198.51.100.201/32")).contains("BGP.local_pref: 100");
        }
    }

    @org.junit.jupiter.api.Test
    void preAndPostPolicyAdjRibInAndTheMaxPrefixWarning() throws Exception {
        try (Pair p = pair(RouterKind.BIRD, 65010, List.of("10.40.1.0/24", "10.66.1.0/24"))) {
            var dropBogons = new Policy(
                    "no-10.66",
                    List.of(new io.meshgw.bgp.policy.Statement(
                            "drop",
                            List.of(new io.meshgw.bgp.policy.Condition.InPrefixList(new io.meshgw.bgp.policy.PrefixList(
                                    "bogons",
                                    List.of(io.meshgw.bgp.policy.PrefixListEntry.permit("10.66.0.0/16", 16, 32))))),
                            List.of(),
                            io.meshgw.bgp.policy.Statement.Disposition.REJECT)),
                    true);
            p.speaker()
                    .addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(p.theirs()), 65010)
                            .timers(quickTimers())
                            .importPolicy(dropBogons)
                            .keepPrePolicy(true)
                            .maxPrefixes(2)
                            .maxPrefixWarningPercent(50)
                            .build());
            assertThat(BgpRouter.await(
                            UP, () -> p.speaker().receivedRoutes("dc").size() == 2))
                    .isTrue();
            assertThat(p.speaker().receivedRoutes("dc").keySet())
                    .containsExactlyInAnyOrder(Prefix.parse("10.40.1.0/24"), Prefix.parse("10.66.1.0/24"));
            assertThat(p.speaker().acceptedRoutes("dc").keySet()).containsExactly(Prefix.parse("10.40.1.0/24"));
            assertThat(p.speaker().peer("dc").orElseThrow().lastError().orElse(""))
                    .contains("reached the warning threshold of limit 2");
            assertThat(p.speaker().peer("dc").orElseThrow().state()).isEqualTo(State.ESTABLISHED);
        }
    }

    private static String readLog(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
