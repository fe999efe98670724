package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both families against BIRD, FRR and GoBGP: IPv4 and IPv6 on one IPv4 session with the IPv6 next hop the speaker
 * finds on its interface, IPv4 routes over an IPv6-only link with RFC 8950, and a session over link-local addresses
 * that sends the global and the link-local next hop (RFC 2545).
 */
class DualStackInteropIT {

    private static final AtomicInteger NET = new AtomicInteger(60);
    private static final Duration UP = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    private static BgpSpeaker speaker(int net, String listen) {
        return BgpSpeaker.start(new SpeakerConfig(
                65000, SpeakerConfig.routerId("10." + net + ".0.1"), InetAddress.ofLiteral(listen), 179));
    }

    private static void awaitEstablished(BgpSpeaker speaker, BgpRouter router) {
        assertThat(BgpRouter.await(UP, () -> speaker.peer("dc").orElseThrow().state() == State.ESTABLISHED))
                .as("%s session; speaker says %s; router log %s", router.kind(), speaker.peer("dc"), router.logTail())
                .isTrue();
    }

    private static void awaitAt(BgpRouter router, BgpSpeaker speaker, String prefix) {
        assertThat(BgpRouter.await(UP, () -> router.receivedPrefixes().contains(prefix)))
                .as(
                        "%s reaches %s; speaker %s; router has %s; log %s",
                        prefix, router.kind(), speaker.peer("dc"), router.receivedPrefixes(), router.logTail())
                .isTrue();
    }

    private static RouteAttributes awaitLearned(BgpSpeaker speaker, String prefix) {
        Prefix p = Prefix.parse(prefix);
        assertThat(BgpRouter.await(UP, () -> speaker.bestRoutes().containsKey(p)))
                .as("%s reaches meshgw; speaker %s", prefix, speaker.peer("dc"))
                .isTrue();
        return speaker.bestRoutes().get(p);
    }

    private static byte[] mpNextHop(RouteAttributes learned, Afi family) {
        PathAttribute.MpReachNlri reach =
                learned.get(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(reach.afi()).isEqualTo(family);
        return reach.nextHop();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = RouterKind.class,
            names = {"BIRD", "FRR", "GOBGP"})
    void bothFamiliesOnOneIpv4SessionWithTheInterfacesIpv6NextHop(RouterKind kind) throws Exception {
        int net = NET.getAndIncrement();
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        String ours6 = "fd00:" + net + "::1";
        String their4 = "10.10." + net + ".0/24";
        String their6 = "fd10:" + net + "::/48";
        String our4 = "198.51.100." + net + "/32";
        String our6 = "2001:db8:" + net + "::/48";
        try (NetNs ns = NetNs.create("ds" + kind.name().toLowerCase().charAt(0))) {
            String hostIf = ns.linkToHost(ours + "/30", "eth0", theirs + "/30");
            // the IPv6 next hop is nowhere configured: the speaker finds it on the session's interface
            Command.check("ip", "addr", "add", ours6 + "/64", "dev", hostIf, "nodad");
            ns.addAddress("eth0", "fd00:" + net + "::2/64");
            RouterSpec spec = RouterSpec.of(
                    kind.name().toLowerCase(),
                    theirs,
                    65010,
                    List.of(BgpNeighbor.of(ours, 65000).withDualStack()),
                    List.of(their4, their6));
            try (BgpRouter router = BgpRouter.start(kind, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = speaker(net, ours)) {
                speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers())
                        .families(Set.of(Afi.IPV4, Afi.IPV6))
                        .exportPolicy(Policy.acceptAll())
                        .build());
                speaker.originate(Map.of(Prefix.parse(our4), List.of(), Prefix.parse(our6), List.of()));
                awaitEstablished(speaker, router);

                awaitAt(router, speaker, our4);
                awaitAt(router, speaker, our6);
                assertThat(router.routeDetails(our6))
                        .as("the IPv6 route's next hop is our global address on the link")
                        .contains(ours6);
                assertThat(speaker.peer("dc").orElseThrow().familiesWithoutNextHop())
                        .isEmpty();

                assertThat(awaitLearned(speaker, their4).get(PathAttribute.NextHop.class))
                        .isPresent();
                assertThat(mpNextHop(awaitLearned(speaker, their6), Afi.IPV6)).hasSizeGreaterThanOrEqualTo(16);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = RouterKind.class,
            names = {"BIRD", "FRR"})
    void ipv4RoutesCrossAnIpv6OnlyLinkWithRfc8950(RouterKind kind) throws Exception {
        int net = NET.getAndIncrement();
        String ours = "fd00:" + net + "::1";
        String theirs = "fd00:" + net + "::2";
        String their4 = "10.10." + net + ".0/24";
        String our4 = "198.51.100." + net + "/32";
        try (NetNs ns = NetNs.create("en" + kind.name().toLowerCase().charAt(0))) {
            ns.linkToHost(ours + "/64", "eth0", theirs + "/64");
            RouterSpec spec = RouterSpec.of(
                    kind.name().toLowerCase(),
                    "10." + net + ".0.2",
                    65010,
                    List.of(BgpNeighbor.of(ours, 65000).withExtendedNextHop()),
                    List.of(their4));
            try (BgpRouter router = BgpRouter.start(kind, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = speaker(net, ours)) {
                speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers())
                        .families(Set.of(Afi.IPV4, Afi.IPV6))
                        .extendedNextHop(true)
                        .exportPolicy(Policy.acceptAll())
                        .build());
                speaker.originate(Prefix.parse(our4), List.of());
                awaitEstablished(speaker, router);

                awaitAt(router, speaker, our4);
                assertThat(router.routeDetails(our4))
                        .as("the IPv4 route's next hop is our IPv6 address")
                        .contains(ours);

                byte[] nh = mpNextHop(awaitLearned(speaker, their4), Afi.IPV4);
                assertThat(Arrays.copyOf(nh, 16))
                        .as("their IPv4 route arrives with their IPv6 next hop")
                        .isEqualTo(InetAddress.ofLiteral(theirs).getAddress());
            }
        }
    }

    @Test
    void aNeighborWithoutRfc8950IsRefusedWhenItIsRequired() throws Exception {
        int net = NET.getAndIncrement();
        String ours = "fd00:" + net + "::1";
        String theirs = "fd00:" + net + "::2";
        try (NetNs ns = NetNs.create("enr")) {
            ns.linkToHost(ours + "/64", "eth0", theirs + "/64");
            RouterSpec spec =
                    RouterSpec.of("bird", "10." + net + ".0.2", 65010, List.of(BgpNeighbor.of(ours, 65000)), List.of());
            try (BgpRouter router =
                            BgpRouter.start(RouterKind.BIRD, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = speaker(net, ours)) {
                speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers())
                        .families(Set.of(Afi.IPV4, Afi.IPV6))
                        .extendedNextHop(true)
                        .build());
                assertThat(BgpRouter.await(
                                UP,
                                () -> speaker.peer("dc")
                                        .orElseThrow()
                                        .lastError()
                                        .orElse("")
                                        .contains("RFC 8950")))
                        .as("refused with a reason; speaker says %s", speaker.peer("dc"))
                        .isTrue();
                assertThat(speaker.peer("dc").orElseThrow().state()).isNotEqualTo(State.ESTABLISHED);
            }
        }
    }

    @Test
    void aLinkLocalSessionWithBirdSendsTheGlobalAndTheLinkLocalNextHop() throws Exception {
        int net = NET.getAndIncrement();
        String global = "fd00:" + net + "::1";
        String our6 = "2001:db8:" + net + "::/48";
        String their6 = "fd10:" + net + "::/48";
        try (NetNs ns = NetNs.create("ll")) {
            String hostIf = ns.linkToHost("fe80::1/64", "eth0", "fe80::2/64");
            Command.check("ip", "addr", "add", global + "/64", "dev", hostIf, "nodad");
            ns.addAddress("eth0", "fd00:" + net + "::2/64");
            RouterSpec spec = RouterSpec.of(
                    "bird",
                    "10." + net + ".0.2",
                    65010,
                    List.of(BgpNeighbor.of("fe80::1", 65000).via("eth0")),
                    List.of(their6));
            try (BgpRouter router =
                            BgpRouter.start(RouterKind.BIRD, ns, spec, Files.createDirectories(tmp.resolve("r")));
                    BgpSpeaker speaker = speaker(net, global)) {
                speaker.addPeer(PeerConfig.builder("dc", InetAddress.getByName("fe80::2%" + hostIf), 65010)
                        .timers(InteropIT.quickTimers())
                        .families(Set.of(Afi.IPV6))
                        .exportPolicy(Policy.acceptAll())
                        .build());
                speaker.originate(Prefix.parse(our6), List.of());
                awaitEstablished(speaker, router);

                awaitAt(router, speaker, our6);
                assertThat(router.routeDetails(our6))
                        .as("RFC 2545: the global next hop, then the link-local one")
                        .contains(global)
                        .contains("fe80::1");
                assertThat(mpNextHop(awaitLearned(speaker, their6), Afi.IPV6)).hasSize(32);
            }
        }
    }
}
