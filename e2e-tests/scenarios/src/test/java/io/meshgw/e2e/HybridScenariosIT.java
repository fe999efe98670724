package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpRouter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole hybrid topology on real parts: the built gateway processes, BIRD as the datacenter
 * router, a real Kafka broker, real packets across network namespaces. The scenarios build on
 * each other, in order, on one lab.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HybridScenariosIT {

    static HybridLab lab;
    static Scenarios s;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NetNs.available(), "the hybrid lab needs root with CAP_NET_ADMIN and CAP_BPF");
        lab = HybridLab.start(Files.createTempDirectory("meshgw-e2e"));
        s = new Scenarios(lab);
        assertThat(s.sessionsUp())
                .as("both gateways peer with the router; logs in %s", lab.dir())
                .isNotNegative();
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void aVipWithBackendsOnlyInTheRemoteClusterIsServedAcrossClusters() {
        assertThat(s.vipAnnounced())
                .as("east announces the VIP for west's backends; see %s", lab.dir())
                .isNotNegative();
        String answer = s.legacyToVipUntil("saw", Duration.ofSeconds(20));
        assertThat(answer).isEqualTo("web-b of west saw " + HybridLab.LEGACY_HOST);
    }

    @Test
    @Order(2)
    void aLocalBackendIsPreferredAndRepliesComeFromTheVip() {
        s.setBackends("east", List.of(HybridLab.WEB_A));
        String answer = s.legacyToVipUntil("web-a", Duration.ofSeconds(20));
        assertThat(answer)
                .as("the legacy host got the reply from the VIP (TCP would not complete otherwise)")
                .isEqualTo("web-a of east saw " + HybridLab.LEGACY_HOST);
        for (int i = 0; i < 5; i++) {
            assertThat(s.legacyToVip()).startsWith("web-a");
        }
    }

    @Test
    @Order(3)
    void aPodReachesTheLegacyServiceWithItsEgressIpAndADeniedPortIsDroppedAndCounted() {
        assertThat(s.egressAnnounced()).isNotNegative();
        String[] answer = {""};
        BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = s.podToLegacy(9000)).contains("saw"));
        assertThat(answer[0]).isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        long before = s.counter("east", "drop_policy");
        assertThat(s.podToLegacy(9100)).as("port 9100 is not in allowedPorts").startsWith("failed");
        assertThat(s.counter("east", "drop_policy")).isGreaterThan(before);
    }

    @Test
    @Order(4)
    void theRouterLosesTheVipWithinASecondOfTheLastBackendAndRegainsIt() {
        s.setBackends("west", List.of());
        assertThat(s.legacyToVipUntil("web-a", Duration.ofSeconds(10))).startsWith("web-a");
        s.setBackends("east", List.of());
        long withdrawn = s.vipWithdrawn();
        assertThat(withdrawn).as("millis until the router lost the VIP").isBetween(0L, 1000L);
        s.setBackends("west", List.of(HybridLab.WEB_B));
        assertThat(s.vipAnnounced()).isNotNegative();
        assertThat(s.legacyToVipUntil("web-b", Duration.ofSeconds(20))).startsWith("web-b");
    }

    @Test
    @Order(5)
    void aBrokerRestartLosesNoEndpointAndTheViewsConverge() {
        int[] result = s.steadyStream(100, () -> lab.broker().restart(), Duration.ofSeconds(5));
        assertThat(result[0])
                .as("failed of %d exchanges while the broker restarted", result[1])
                .isZero();
        s.setBackends("west", List.of(HybridLab.WEB_B, "10.2.0.99"));
        assertThat(BgpRouter.await(
                        Duration.ofSeconds(30),
                        () -> lab.gateway("east")
                                .get("/api/v1/datapath/translations")
                                .body()
                                .contains("10.2.0.99")))
                .as("a change after the restart reaches the other cluster")
                .isTrue();
        s.setBackends("west", List.of(HybridLab.WEB_B));
        // Settle before the next scenario kills east: a dead gateway keeps its last state.
        assertThat(BgpRouter.await(
                        Duration.ofSeconds(30),
                        () -> !lab.gateway("east")
                                .get("/api/v1/datapath/translations")
                                .body()
                                .contains("10.2.0.99")))
                .isTrue();
    }

    @Test
    @Order(6)
    void killingTheGatewayWithSigkillLosesNoExchangeOfASteadyStream() {
        int[] result = s.steadyStream(
                100,
                () -> {
                    System.err.printf("steady stream: %s SIGKILL%n", java.time.LocalTime.now());
                    lab.gateway("east").kill();
                    GatewayProcess.sleep(2000);
                    lab.startGateway("east");
                    System.err.printf("steady stream: %s restarted%n", java.time.LocalTime.now());
                    BgpRouter.await(Scenarios.UP, lab::sessionsUp);
                    System.err.printf("steady stream: %s sessions up%n", java.time.LocalTime.now());
                },
                Duration.ofSeconds(3));
        assertThat(result[1]).isGreaterThan(20);
        assertThat(result[0])
                .as("failed of %d exchanges across SIGKILL and restart (pinned datapath, graceful restart)", result[1])
                .isZero();
        assertThat(lab.routerHas(HybridLab.VIP + "/32")).isTrue();
    }

    @Test
    @Order(7)
    void aHundredSessionFlapsLeaveNoThreadsOrFileDescriptorsBehind() throws Exception {
        long pid = lab.gateway("east").pid();
        assertThat(BgpRouter.await(Scenarios.UP, lab::sessionsUp)).isTrue();
        GatewayProcess.sleep(3000);
        int threadsBefore = ProcResources.threads(pid);
        int fdsBefore = ProcResources.fds(pid);
        var bird = (io.meshgw.testkit.routers.BirdRouter) lab.router();
        for (int i = 0; i < 100; i++) {
            bird.restartSession("172.16.1.2");
            GatewayProcess.sleep(150);
        }
        assertThat(BgpRouter.await(Scenarios.UP, lab::sessionsUp))
                .as("the session comes back")
                .isTrue();
        assertThat(BgpRouter.await(Scenarios.UP, () -> lab.routerHas(HybridLab.VIP + "/32")))
                .isTrue();
        GatewayProcess.sleep(5000);
        int threadsAfter = ProcResources.threads(pid);
        int fdsAfter = ProcResources.fds(pid);
        System.err.printf(
                "100 flaps: threads %d -> %d, fds %d -> %d%n", threadsBefore, threadsAfter, fdsBefore, fdsAfter);
        assertThat(threadsAfter).as("threads after settling").isLessThanOrEqualTo(threadsBefore + 2);
        assertThat(fdsAfter).as("file descriptors after settling").isLessThanOrEqualTo(fdsBefore + 4);
        assertThat(s.legacyToVipUntil("saw", Duration.ofSeconds(20))).contains("saw");
    }
}
