package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.FrrRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Policy edits against FRR in a namespace: the session FRR sees stays the same one (its count of sessions
 * established does not move), FRR's table converges to the new export set, and a route newly denied on import
 * leaves meshgw's Loc-RIB, asked for again by ROUTE-REFRESH.
 */
class PeerReconfigurationIT {

    private static final Duration UP = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    private static Policy only(String... cidrs) {
        List<PrefixListEntry> entries =
                Arrays.stream(cidrs).map(PrefixListEntry::permit).toList();
        return new Policy(
                "only",
                List.of(new Statement(
                        "listed",
                        List.of(new Condition.InPrefixList(new PrefixList("listed", entries))),
                        List.of(),
                        Statement.Disposition.ACCEPT)),
                false);
    }

    @Test
    void policyEditsKeepFrrsSessionAndConvergeBothTables() throws Exception {
        String ours = "10.229.0.1";
        String theirs = "10.229.0.2";
        String kept = "10.11.229.0/24";
        String denied = "10.12.229.0/24";
        Prefix p1 = Prefix.parse("198.51.100.1/32");
        Prefix p2 = Prefix.parse("198.51.100.2/32");
        Prefix p3 = Prefix.parse("198.51.100.3/32");
        try (NetNs ns = NetNs.create("rcf")) {
            ns.linkToHost(ours + "/30", "eth0", theirs + "/30");
            RouterSpec spec =
                    RouterSpec.of("frr", theirs, 65010, List.of(BgpNeighbor.of(ours, 65000)), List.of(kept, denied));
            try (var frr = (FrrRouter)
                            BgpRouter.start(RouterKind.FRR, ns, spec, Files.createDirectories(tmp.resolve("f")));
                    BgpSpeaker speaker = BgpSpeaker.start(
                            new SpeakerConfig(65000, SpeakerConfig.routerId(ours), InetAddress.ofLiteral(ours), 179))) {
                PeerConfig.Builder base = PeerConfig.builder("dc", InetAddress.ofLiteral(theirs), 65010)
                        .timers(InteropIT.quickTimers());
                speaker.addPeer(base.exportPolicy(only("198.51.100.1/32", "198.51.100.2/32"))
                        .build());
                speaker.originate(p1, List.of());
                speaker.originate(p2, List.of());
                speaker.originate(p3, List.of());
                assertThat(BgpRouter.await(
                                UP,
                                () -> frr.holds(p1.toString())
                                        && frr.holds(p2.toString())
                                        && speaker.bestRoutes().containsKey(Prefix.parse(denied))))
                        .as(
                                "up with the first policies; speaker %s; FRR has %s",
                                speaker.peer("dc"), frr.receivedPrefixes())
                        .isTrue();
                int sessions = frr.sessionsEstablished(ours);
                Instant since =
                        speaker.peer("dc").orElseThrow().establishedSince().orElseThrow();

                PeerChange change = speaker.updatePeer(base.exportPolicy(only("198.51.100.2/32", "198.51.100.3/32"))
                        .importPolicy(only(kept))
                        .build());

                assertThat(change.resetsSession()).as(change.describe()).isFalse();
                assertThat(BgpRouter.await(UP, () -> frr.holds(p3.toString()) && !frr.holds(p1.toString())))
                        .as("FRR's table converges to the new export set; it has %s", frr.receivedPrefixes())
                        .isTrue();
                assertThat(frr.receivedPrefixes()).containsExactlyInAnyOrder(p2.toString(), p3.toString());
                assertThat(BgpRouter.await(UP, () -> !speaker.bestRoutes().containsKey(Prefix.parse(denied))))
                        .as("the route newly denied on import leaves the Loc-RIB")
                        .isTrue();
                assertThat(speaker.bestRoutes()).containsKey(Prefix.parse(kept));
                assertThat(frr.sessionsEstablished(ours))
                        .as("FRR saw no new session")
                        .isEqualTo(sessions);
                PeerStatus now = speaker.peer("dc").orElseThrow();
                assertThat(now.state()).isEqualTo(State.ESTABLISHED);
                assertThat(now.establishedSince()).hasValue(since);
                assertThat(now.flaps()).isZero();
            }
        }
    }
}
