package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import io.meshgw.testkit.bgp.ScriptedBgpPeer;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hostile neighbor sends routes carrying malformed optional transitive attributes of the kinds behind the 2023
 * attribute incidents; meshgw learns them and exports them to a real router (BIRD, FRR, GoBGP,
 * OpenBGPD). The router's session
 * with meshgw must never be reset: by default meshgw relays none of those attributes, and when told to relay them it
 * checks each against its RFC and withdraws a route whose attribute is malformed rather than pass it on.
 */
class AttributeIsolationIT {

    private static final AtomicInteger NET = new AtomicInteger(150);
    private static final Duration UP = Duration.ofSeconds(45);
    private static final int FLAGS = PathAttribute.OPTIONAL | PathAttribute.TRANSITIVE;

    /** Malformed attribute values, each on its own route; the last type is one no router here interprets. */
    private static final Map<Integer, byte[]> MALFORMED = malformed();

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    private static Map<Integer, byte[]> malformed() {
        Map<Integer, byte[]> m = new LinkedHashMap<>();
        m.put(22, new byte[] {0, 0, 0, 1}); // PMSI_TUNNEL shorter than its fixed 5 octets
        m.put(23, new byte[] {0, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}); // Tunnel TLV of length 65535
        m.put(25, new byte[19]); // IPv6 extended communities: not a multiple of 20
        m.put(40, new byte[] {1, 0, 6, 0, 0, 0, 0, 0, 0}); // Prefix-SID Label-Index TLV of 6 octets
        m.put(128, new byte[] {0, 0, (byte) 0xFD, (byte) 0xE9, PathAttribute.TRANSITIVE, 1, 5, 0}); // ATTR_SET overrun
        m.put(250, new byte[] {(byte) 0xDE, (byte) 0xAD}); // unassigned: nobody can check it
        return m;
    }

    static Stream<Arguments> routersAndScreens() {
        return Stream.of(RouterKind.BIRD, RouterKind.FRR, RouterKind.GOBGP, RouterKind.OPENBGPD)
                .flatMap(k -> Stream.of(Arguments.of(k, false), Arguments.of(k, true)));
    }

    @ParameterizedTest(name = "{0} relay={1}")
    @MethodSource("routersAndScreens")
    void malformedTransitiveAttributesFromOnePeerNeverResetAnotherRoutersSession(RouterKind kind, boolean relay)
            throws Exception {
        int net = NET.getAndAdd(2);
        String ours = "10." + net + ".0.1";
        String theirs = "10." + net + ".0.2";
        String oursToHostile = "10." + (net + 1) + ".0.1";
        String hostile = "10." + (net + 1) + ".0.2";
        try (NetNs routerNs = NetNs.create(kind.name().toLowerCase().substring(0, 3));
                NetNs hostileNs = NetNs.create("hos")) {
            routerNs.linkToHost(ours + "/30", "eth0", theirs + "/30");
            hostileNs.linkToHost(oursToHostile + "/30", "eth0", hostile + "/30");
            RouterSpec spec = RouterSpec.of(
                    kind.name().toLowerCase(), theirs, 65010, List.of(BgpNeighbor.of(ours, 65000)), List.of());
            AttributeScreen screen = relay
                    ? new AttributeScreen(MALFORMED.keySet().stream()
                            .collect(Collectors.toMap(t -> t, t -> AttributeScreen.Action.RELAY)))
                    : AttributeScreen.DEFAULT;
            try (BgpRouter router = BgpRouter.start(kind, routerNs, spec, Files.createDirectories(tmp.resolve("r")));
                    ScriptedBgpPeer peer = ScriptedBgpPeer.listen(
                            hostileNs, new ScriptedBgpPeer.Options(hostile, 65020, hostile, 90));
                    BgpSpeaker speaker =
                            BgpSpeaker.start(new SpeakerConfig(65000, SpeakerConfig.routerId(ours), null, 0))) {
                speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers())
                        .exportPolicy(Policy.acceptAll())
                        .build());
                speaker.addPeer(PeerConfig.builder("hostile", InetAddress.ofLiteral(hostile), 65020)
                        .timers(InteropIT.quickTimers())
                        .attributeScreen(screen)
                        .build());
                assertThat(BgpRouter.await(UP, () -> router.established(ours)))
                        .as("%s peers with meshgw", kind)
                        .isTrue();
                assertThat(peer.awaitSessions(1, UP))
                        .as("the hostile peer is up")
                        .isTrue();

                Map<Integer, String> routeOf = new LinkedHashMap<>();
                int i = 1;
                for (var e : MALFORMED.entrySet()) {
                    String prefix = "10.99." + i++ + ".0/24";
                    routeOf.put(e.getKey(), prefix);
                    peer.send(update(prefix, new PathAttribute.Unknown(FLAGS, e.getKey(), e.getValue())));
                }
                String clean = "10.99.100.0/24";
                peer.send(update(clean));

                assertThat(BgpRouter.await(UP, () -> router.holds(clean)))
                        .as("%s learned the clean route through meshgw", kind)
                        .isTrue();
                for (var e : routeOf.entrySet()) {
                    int type = e.getKey();
                    // Relayed and checkable: withdrawn (Prefix-SID: the attribute dropped, the route kept).
                    boolean withdrawn = relay && type != 250 && type != 40;
                    if (withdrawn) {
                        assertThat(router.holds(e.getValue()))
                                .as("%s: the route with malformed attribute %d is withdrawn, not relayed", kind, type)
                                .isFalse();
                    } else {
                        assertThat(BgpRouter.await(UP, () -> router.holds(e.getValue())))
                                .as("%s: the route with attribute %d arrives", kind, type)
                                .isTrue();
                    }
                }
                Thread.sleep(2_000); // a reset would follow the UPDATE within the router's own processing
                PeerStatus dc = speaker.peer("dc").orElseThrow();
                assertThat(dc.flaps())
                        .as("%s never reset its session with meshgw (last error %s)", kind, dc.lastError())
                        .isZero();
                assertThat(router.established(ours)).isTrue();
                assertThat(speaker.peer("hostile").orElseThrow().attributeDrops().values().stream()
                                .mapToLong(Long::longValue)
                                .sum())
                        .as("every drop is counted")
                        .isEqualTo(relay ? MALFORMED.size() - 1 : MALFORMED.size());
            }
        }
    }

    /** An UPDATE announcing {@code prefix} from AS 65020, next hop the hostile peer, with {@code extra}. */
    private static byte[] update(String prefix, PathAttribute... extra) {
        List<PathAttribute> attrs = new java.util.ArrayList<>(List.of(
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(
                        List.of(new PathAttribute.Segment(PathAttribute.Segment.AS_SEQUENCE, List.of(65020L)))),
                new PathAttribute.NextHop(InetAddress.ofLiteral("10.0.0.1").getAddress())));
        attrs.addAll(List.of(extra));
        return MessageEncoder.encode(new Update(List.of(), attrs, List.of(Prefix.parse(prefix))), CodecOptions.MODERN);
    }
}
