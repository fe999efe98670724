package io.meshgw.testkit.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripted peer against a real BGP implementation (BIRD), so its OPEN, KEEPALIVEs and
 * NOTIFICATION handling are proven on someone else's code before scenarios rely on them.
 */
class ScriptedBgpPeerIT {

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    @Test
    void birdEstablishesLearnsAHandBuiltUpdateAndAnswersABadMarkerWithANotification() {
        try (NetNs birdNs = NetNs.create("sbird");
                NetNs peerNs = NetNs.create("speer")) {
            NetNs.link(birdNs, "a0", "10.203.0.1/30", peerNs, "b0", "10.203.0.2/30");
            var spec = RouterSpec.of(
                    "bird", "10.203.0.1", 65001, List.of(BgpNeighbor.of("10.203.0.2", 4200000002L)), List.of());
            try (ScriptedBgpPeer peer = ScriptedBgpPeer.listen(
                            peerNs, new ScriptedBgpPeer.Options("10.203.0.2", 4200000002L, "10.203.0.2", 9));
                    BgpRouter bird = BgpRouter.start(RouterKind.BIRD, birdNs, spec, tmp)) {
                assertThat(peer.awaitSessions(1, Duration.ofSeconds(30)))
                        .as("BIRD reaches Established with the scripted peer (4-octet AS); log %s", bird.logFile())
                        .isTrue();
                assertThat(bird.established("10.203.0.2")).isTrue();

                // UPDATE: ORIGIN IGP, AS_PATH [4200000002], NEXT_HOP 10.203.0.2, NLRI 10.77.0.0/16
                peer.send(HexFormat.of()
                        .parseHex("ffffffffffffffffffffffffffffffff" + "002e" + "02" + "0000" + "0014" + "40010100"
                                + "40020602" + "01fa56ea02" + "400304" + "0acb0002" + "100a4d"));
                assertThat(BgpRouter.await(
                                Duration.ofSeconds(10),
                                () -> bird.receivedPrefixes().contains("10.77.0.0/16")))
                        .as("BIRD learned the hand-built route")
                        .isTrue();

                // RFC 4271 §6.1: a marker that is not all ones -> Connection Not Synchronized
                peer.send(HexFormat.of().parseHex("00ffffffffffffffffffffffffffffff" + "0013" + "04"));
                assertThat(peer.awaitNotification(Duration.ofSeconds(10)))
                        .hasValueSatisfying(
                                n -> assertThat(List.of(n.code(), n.subcode())).isEqualTo(List.of(1, 1)));
                assertThat(peer.awaitSessions(2, Duration.ofSeconds(30)))
                        .as("BIRD comes back, and the peer accepts the new session")
                        .isTrue();
            }
        }
    }
}
