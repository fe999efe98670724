package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile neighbors against the real transport on loopback (no privileges needed): a peer that
 * never reads and asks for the table a thousand times a second, and a flood of connections from
 * addresses that are not neighbors, each beside a well-behaved neighbor whose KEEPALIVEs must keep
 * arriving within its hold time.
 */
class HostileNeighborsIT {

    private static final long PEER_ASN = 65010;
    /** The good neighbor's hold time: KEEPALIVEs every 2 s, and room for a loaded shared machine. */
    private static final int GOOD_HOLD_SECONDS = 6;

    private static final Duration BAD_SEND_HOLD = Duration.ofSeconds(2);
    private static final int ROUTES = 20_000;
    /** Communities per route: about 300 bytes an UPDATE, 6 MB a walk, more than the kernel's and our queue hold. */
    private static final int COMMUNITIES = 64;

    private LoopbackSpeaker local;
    private BgpSpeaker speaker;
    private int port;

    @BeforeEach
    void start() throws IOException {
        local = LoopbackSpeaker.start();
        speaker = local.speaker();
        port = local.port();
        speaker.addPeer(peer("good", "127.0.0.2").build());
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private static PeerConfig.Builder peer(String name, String address) {
        return PeerConfig.builder(name, InetAddress.ofLiteral(address), PEER_ASN)
                .passive(true)
                .exportPolicy(Policy.acceptAll());
    }

    private LoopbackNeighbor goodNeighbor() throws Exception {
        LoopbackNeighbor good = new LoopbackNeighbor("127.0.0.2", port, 0);
        good.readAll();
        good.establish(PEER_ASN, "10.0.0.2", GOOD_HOLD_SECONDS);
        good.keepSendingKeepalives(GOOD_HOLD_SECONDS * 1000L / 3);
        awaitTrue(() -> state("good") == State.ESTABLISHED, Duration.ofSeconds(10));
        return good;
    }

    private State state(String peer) {
        return speaker.peer(peer).orElseThrow().state();
    }

    private void awaitTrue(BooleanSupplier condition, Duration within) throws InterruptedException {
        LoopbackSpeaker.await(condition, within, "the condition holds", speaker::peers);
    }

    private static long heapUsedAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void zeroWindowPeerSendingRouteRefreshKeepsHeapBoundedAndIsResetBySendHoldTimer() throws Exception {
        // A table whose routes differ in their communities, so each is an UPDATE of its own.
        Map<Prefix, List<PathAttribute>> table = new HashMap<>();
        for (int i = 0; i < ROUTES; i++) {
            List<Long> communities = new ArrayList<>();
            for (long c = 0; c < COMMUNITIES; c++) {
                communities.add(i * 100L + c);
            }
            table.put(
                    Prefix.parse("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + "/32"),
                    List.of(new PathAttribute.Communities(communities)));
        }
        speaker.originate(table);
        speaker.addPeer(peer("bad", "127.0.0.3")
                .timers(FsmTimers.defaults().withSendHoldTime(BAD_SEND_HOLD))
                .build());
        try (LoopbackNeighbor good = goodNeighbor();
                LoopbackNeighbor bad = new LoopbackNeighbor("127.0.0.3", port, 4096)) {
            long heapBefore = heapUsedAfterGc();
            bad.establish(PEER_ASN, "10.0.0.3", 90);
            awaitTrue(
                    () -> speaker.peer("bad").orElseThrow().flaps() > 0 || state("bad") == State.ESTABLISHED,
                    Duration.ofSeconds(10));

            // ROUTE-REFRESH at 1,000 a second for 3 s, never reading a byte.
            long sent = 0;
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            try {
                while (System.nanoTime() < until) {
                    for (int i = 0; i < 10; i++) {
                        bad.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
                        sent++;
                    }
                    Thread.sleep(10);
                }
            } catch (IOException reset) {
                // the speaker reset the connection: what this test waits for
            }
            long heapDuring = heapUsedAfterGc();

            awaitTrue(() -> speaker.peer("bad").orElseThrow().flaps() > 0, Duration.ofSeconds(60));
            PeerStatus badStatus = speaker.peer("bad").orElseThrow();
            assertThat(badStatus.lastError().orElseThrow())
                    .as("RFC 9687: reset by the send hold timer")
                    .contains("8/0")
                    .contains("send hold timer expired");
            AdjRibOut.RefreshCounts refreshes = speaker.refreshCounts("bad");
            assertThat(refreshes.requested())
                    .as("requests read (of %d sent)", sent)
                    .isPositive();
            assertThat(refreshes.walks())
                    .as("table walks for %d requests: none while the peer does not read", refreshes.requested())
                    .isLessThanOrEqualTo(4);
            assertThat(heapDuring - heapBefore)
                    .as("heap growth while the peer asked for the table %d times", sent)
                    .isLessThan(128L << 20);

            assertThat(state("good")).isEqualTo(State.ESTABLISHED);
            assertThat(good.maxSilenceMillis())
                    .as("the good neighbor heard from us (KEEPALIVE or UPDATE) within its hold time")
                    .isLessThan(GOOD_HOLD_SECONDS * 1000L);
        }
    }

    @Test
    void tenThousandConnectionsFromUnconfiguredAddressesLeaveKeepalivesOnTime() throws Exception {
        try (LoopbackNeighbor good = goodNeighbor()) {
            int connections = 10_000;
            for (int i = 0; i < connections; i++) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(InetAddress.ofLiteral("127.1." + (i / 250) + "." + (i % 250 + 1)), 0));
                    s.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
                } catch (IOException reset) {
                    // the speaker may reset it before this side closes
                }
            }
            awaitTrue(() -> speaker.refusedConnections()[0] == connections, Duration.ofSeconds(30));

            long[] refused = speaker.refusedConnections();
            assertThat(refused[1])
                    .as("WARN lines for %d refused connections", connections)
                    .isLessThanOrEqualTo(2L * RefusedConnections.LINES_PER_WINDOW);
            assertThat(state("good")).isEqualTo(State.ESTABLISHED);
            assertThat(good.maxSilenceMillis())
                    .as("the good neighbor heard from us (KEEPALIVE or UPDATE) within its hold time")
                    .isLessThan(GOOD_HOLD_SECONDS * 1000L);
        }
    }
}
