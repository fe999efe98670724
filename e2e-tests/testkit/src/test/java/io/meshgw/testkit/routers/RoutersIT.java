package io.meshgw.testkit.routers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.net.NetNs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router harness against the real daemons: BIRD, FRR and GoBGP peer with each other in a
 * chain of namespaces and pass routes along, so later interop tests can put meshgw's speaker in
 * any position of the chain.
 */
class RoutersIT {

    private static final Duration SESSION_UP = Duration.ofSeconds(45);

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    @Test
    void birdFrrAndGobgpExchangeRoutesInAChain() throws Exception {
        try (NetNs a = NetNs.create("bird");
                NetNs b = NetNs.create("frr");
                NetNs c = NetNs.create("gobgp")) {
            NetNs.link(a, "a0", "10.201.0.1/30", b, "b0", "10.201.0.2/30");
            NetNs.link(b, "b1", "10.201.1.1/30", c, "c1", "10.201.1.2/30");

            var birdSpec = RouterSpec.of(
                    "bird", "10.201.0.1", 65001, List.of(BgpNeighbor.of("10.201.0.2", 65002)), List.of("10.10.1.0/24"));
            var frrSpec = RouterSpec.of(
                    "frr",
                    "10.201.0.2",
                    65002,
                    List.of(BgpNeighbor.of("10.201.0.1", 65001), BgpNeighbor.of("10.201.1.2", 4200000003L)),
                    List.of());
            var gobgpSpec = RouterSpec.of(
                    "gobgp",
                    "10.201.1.2",
                    4200000003L,
                    List.of(BgpNeighbor.of("10.201.1.1", 65002)),
                    List.of("10.30.3.0/24"));

            try (BgpRouter bird = BgpRouter.start(RouterKind.BIRD, a, birdSpec, dir("bird"));
                    BgpRouter frr = BgpRouter.start(RouterKind.FRR, b, frrSpec, dir("frr"));
                    BgpRouter gobgp = BgpRouter.start(RouterKind.GOBGP, c, gobgpSpec, dir("gobgp"))) {

                assertThat(BgpRouter.await(SESSION_UP, () -> frr.established("10.201.0.1")))
                        .as("BIRD-FRR session; FRR log: %s", bird.logFile())
                        .isTrue();
                assertThat(BgpRouter.await(SESSION_UP, () -> gobgp.established("10.201.1.1")))
                        .as("FRR-GoBGP session (4-octet AS 4200000003)")
                        .isTrue();
                assertThat(bird.established("10.201.0.2")).isTrue();

                assertThat(BgpRouter.await(
                                SESSION_UP, () -> gobgp.receivedPrefixes().contains("10.10.1.0/24")))
                        .as("BIRD's prefix reaches GoBGP through FRR")
                        .isTrue();
                assertThat(BgpRouter.await(
                                SESSION_UP, () -> bird.receivedPrefixes().contains("10.30.3.0/24")))
                        .as("GoBGP's prefix reaches BIRD through FRR")
                        .isTrue();
                assertThat(frr.receivedPrefixes()).contains("10.10.1.0/24", "10.30.3.0/24");
                assertThat(frr.holds("10.10.1.0/24")).isTrue();
                assertThat(frr.holds("10.10.2.0/24"))
                        .as("a prefix nobody announced")
                        .isFalse();
                assertThat(((FrrRouter) frr).sessionsEstablished("10.201.0.1")).isEqualTo(1);

                for (BgpRouter r : List.of(bird, frr, gobgp)) {
                    assertThat(r.routeCount()).as("%s route count", r.kind()).isEqualTo(2);
                    assertThat(ProcessHandle.of(r.pid())).as("%s pid", r.kind()).isPresent();
                }

                // One flap of the BIRD-FRR session, seen by both routers' own accounts.
                var birdRouter = (BirdRouter) bird;
                String since = birdRouter.sessionSince("10.201.0.2");
                assertThat(since).matches("[0-9:.]+");
                birdRouter.restartSession("10.201.0.2");
                assertThat(BgpRouter.await(SESSION_UP, () -> ((FrrRouter) frr).sessionsEstablished("10.201.0.1") == 2))
                        .as("FRR counts the second session")
                        .isTrue();
                assertThat(BgpRouter.await(SESSION_UP, () -> bird.established("10.201.0.2")))
                        .isTrue();
                assertThat(birdRouter.sessionSince("10.201.0.2")).isNotEqualTo(since);
            }
        }
    }

    @Test
    void tcpMd5PasswordsMustMatch() throws Exception {
        try (NetNs a = NetNs.create("md5a");
                NetNs b = NetNs.create("md5b")) {
            NetNs.link(a, "a0", "10.202.0.1/30", b, "b0", "10.202.0.2/30");
            var frrSpec = RouterSpec.of(
                    "frrmd5",
                    "10.202.0.2",
                    65002,
                    List.of(BgpNeighbor.of("10.202.0.1", 65001).withPassword("s3cret")),
                    List.of());
            try (BgpRouter frr = BgpRouter.start(RouterKind.FRR, b, frrSpec, dir("frrmd5"))) {
                var wrong = RouterSpec.of(
                        "birdwrong",
                        "10.202.0.1",
                        65001,
                        List.of(BgpNeighbor.of("10.202.0.2", 65002).withPassword("wrong")),
                        List.of());
                try (BgpRouter bird = BgpRouter.start(RouterKind.BIRD, a, wrong, dir("birdwrong"))) {
                    assertThat(BgpRouter.await(Duration.ofSeconds(8), () -> frr.established("10.202.0.1")))
                            .as("a wrong TCP-MD5 password must keep the session down")
                            .isFalse();
                }
                var right = RouterSpec.of(
                        "birdright",
                        "10.202.0.1",
                        65001,
                        List.of(BgpNeighbor.of("10.202.0.2", 65002).withPassword("s3cret")),
                        List.of());
                try (BgpRouter bird = BgpRouter.start(RouterKind.BIRD, a, right, dir("birdright"))) {
                    assertThat(BgpRouter.await(SESSION_UP, () -> frr.established("10.202.0.1")))
                            .as("the right TCP-MD5 password brings the session up; BIRD log %s", bird.logFile())
                            .isTrue();
                }
            }
        }
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(tmp.resolve(name));
    }
}
