package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conntrack state and expiry by TCP state, through BPF_PROG_TEST_RUN. Idle time is made by
 * moving entries' last-seen times back, never by waiting.
 */
class ConntrackExpiryIT extends DetachedDatapath {

    static final int FIN_ACK = SyntheticPacket.FIN | SyntheticPacket.ACK;
    static final int RST = SyntheticPacket.RST;

    @BeforeEach
    void reset() {
        dp.apply(webDnsAndEgress(40000));
        dp.clearConntrack();
    }

    int run(String program, SyntheticPacket p) {
        TestRun.Result r = dp.object().testRun(program, p.frame(), 1);
        return r.retval();
    }

    static SyntheticPacket client(int port, int flags) {
        return SyntheticPacket.tcp(CLIENT, port, VIP, 80).withTcpFlags(flags);
    }

    static SyntheticPacket backend(int port, int flags) {
        return SyntheticPacket.tcp(BACKEND, 8080, CLIENT, port).withTcpFlags(flags);
    }

    /** Both tables': inbound and egress flows. */
    Map<CtKey, CtValue> entries() {
        Map<CtKey, CtValue> all = new java.util.HashMap<>();
        dp.maps().conntracks().forEach(t -> all.putAll(t.entries()));
        return all;
    }

    /** Makes every entry look idle for {@code idle}; the flow caches forget what they held. */
    void idleFor(Duration idle) {
        long then = System.nanoTime() - idle.toNanos();
        for (var table : dp.maps().conntracks()) {
            table.entries().forEach((k, v) -> table.put(k, v.withLastSeen(then)));
        }
        dp.clearFlowCache();
    }

    @Test
    void aFinFromEachSideClosesTheFlowInBothEntries() {
        run(Datapath.FROM_LEGACY, client(40000, SyntheticPacket.SYN));
        run(Datapath.FROM_LEGACY, client(40000, FIN_ACK));
        assertThat(entries().values())
                .as("one FIN: half closed, still open")
                .hasSize(2)
                .allMatch(v ->
                        (v.flags() & ~(CtValue.UNREPLIED | CtValue.SEQ)) == CtValue.FIN_FROM_LEGACY && !v.closing());
        run(Datapath.FROM_CLUSTER, backend(40000, FIN_ACK));
        assertThat(entries().values()).allMatch(CtValue::closing);
        assertThat(dp.conntrack(10)).hasSize(2).allMatch(ConntrackEntry::closing);
    }

    @Test
    void anRstFromEitherSideClosesTheFlow() {
        TestRun.Result out = dp.object()
                .testRun(
                        Datapath.FROM_CLUSTER,
                        SyntheticPacket.tcp(POD, 5555, CLIENT, 443).frame(),
                        1);
        int port = SyntheticPacket.parse(out.packetOut()).sport();
        run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.tcp(CLIENT, 443, "203.0.113.7", port).withTcpFlags(RST));
        assertThat(entries().values()).hasSize(2).allMatch(v -> (v.flags() & CtValue.RST) != 0);
    }

    @Test
    void aClosedFlowIsForgottenTenSecondsAfterItsLastPacketAnOpenOneIsNot() {
        run(Datapath.FROM_LEGACY, client(40001, SyntheticPacket.SYN));
        run(Datapath.FROM_LEGACY, client(40001, RST));
        run(Datapath.FROM_LEGACY, client(40002, SyntheticPacket.SYN));
        run(Datapath.FROM_LEGACY, client(40002, SyntheticPacket.ACK));
        idleFor(Duration.ofSeconds(11));
        long created = count(Counter.DNAT_NEW);
        long established = count(Counter.DNAT_ESTABLISHED);

        assertThat(run(Datapath.FROM_LEGACY, client(40001, SyntheticPacket.ACK)))
                .isEqualTo(TC_ACT_OK);
        assertThat(count(Counter.DNAT_NEW))
                .as("the closed flow's entry was not used")
                .isEqualTo(created + 1);
        assertThat(run(Datapath.FROM_LEGACY, client(40002, SyntheticPacket.ACK)))
                .isEqualTo(TC_ACT_OK);
        assertThat(count(Counter.DNAT_ESTABLISHED))
                .as("an open flow idle for 11 s is still known")
                .isEqualTo(established + 1);
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(created + 1);
    }

    @Test
    void anUnansweredSynIsForgottenAfterTwoMinutesAnAnsweredFlowIsNot() {
        run(Datapath.FROM_LEGACY, client(40010, SyntheticPacket.SYN));
        run(Datapath.FROM_LEGACY, client(40011, SyntheticPacket.SYN));
        assertThat(entries().values()).hasSize(4).allMatch(CtValue::unreplied);
        run(Datapath.FROM_CLUSTER, backend(40011, SyntheticPacket.SYN | SyntheticPacket.ACK));
        assertThat(entries().entrySet())
                .filteredOn(e -> e.getKey().sport() == 40011 || e.getKey().dport() == 40011)
                .as("the SYN-ACK answers the flow in both entries")
                .hasSize(2)
                .noneMatch(e -> e.getValue().unreplied());
        idleFor(Duration.ofMinutes(2).plusSeconds(1));
        assertThat(dp.expireConntrack())
                .as("the sweep deletes the half-open flow's two entries only")
                .isEqualTo(2);
        long created = count(Counter.DNAT_NEW);
        run(Datapath.FROM_LEGACY, client(40010, SyntheticPacket.ACK));
        assertThat(count(Counter.DNAT_NEW))
                .as("the half-open flow was forgotten")
                .isEqualTo(created + 1);
        run(Datapath.FROM_LEGACY, client(40011, SyntheticPacket.ACK));
        assertThat(count(Counter.DNAT_NEW))
                .as("the answered flow is still known")
                .isEqualTo(created + 1);
    }

    @Test
    void aTableOfTensOfThousandsIsReadWholeInBatchesAndTheSweepSeesEveryEntry() {
        var entries = new java.util.LinkedHashMap<CtKey, CtValue>();
        long now = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            // half of them idle for an hour: open TCP keeps them, the UDP ones expire
            int proto = i % 2 == 0 ? 6 : 17;
            entries.put(
                    new CtKey(0x0a000000 + i, 0xc0000201, 1000 + i % 50_000, 443, proto, 1),
                    new CtValue(
                            0xc6336401,
                            8080,
                            1,
                            0,
                            0,
                            0,
                            now,
                            now - Duration.ofHours(1).toNanos(),
                            1,
                            60));
        }
        dp.maps().conntrack().putAll(entries);
        Map<CtKey, CtValue> read = entries();
        assertThat(read).hasSize(20_000).containsAllEntriesOf(entries);
        assertThat(dp.maps().conntrack().entries(1_234)).hasSize(1_234);
        assertThat(dp.expireConntrack()).as("the UDP half").isEqualTo(10_000);
        assertThat(entries().keySet()).hasSize(10_000).allMatch(k -> k.proto() == 6);
    }

    @Test
    void udpIsForgottenAfterFiveIdleMinutes() {
        SyntheticPacket query = SyntheticPacket.udp(CLIENT, 45000, VIP, 53);
        run(Datapath.FROM_LEGACY, query);
        idleFor(Duration.ofMinutes(4));
        long created = count(Counter.DNAT_NEW);
        run(Datapath.FROM_LEGACY, query);
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(created);
        idleFor(Duration.ofMinutes(5).plusSeconds(1));
        run(Datapath.FROM_LEGACY, query);
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(created + 1);
    }

    @Test
    void aSynOnAClosedFlowOpensANewConnection() {
        run(Datapath.FROM_LEGACY, client(40003, SyntheticPacket.SYN));
        run(Datapath.FROM_CLUSTER, backend(40003, RST));
        long created = count(Counter.DNAT_NEW);
        run(Datapath.FROM_LEGACY, client(40003, SyntheticPacket.SYN));
        assertThat(count(Counter.DNAT_NEW)).isEqualTo(created + 1);
        assertThat(entries().values()).hasSize(2).noneMatch(CtValue::closing);
    }

    @Test
    void theSweepDeletesExpiredEntriesOnlyAndFreesTheirSnatPort() {
        // The identity has exactly one egress port.
        int port = SyntheticPacket.parse(dp.object()
                        .testRun(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket.tcp(POD, 5000, CLIENT, 443).frame(),
                                1)
                        .packetOut())
                .sport();
        assertThat(port).isEqualTo(40000);
        assertThat(run(Datapath.FROM_CLUSTER, SyntheticPacket.tcp("10.1.0.21", 5000, CLIENT, 443)))
                .as("the port is taken")
                .isEqualTo(TC_ACT_SHOT);
        run(Datapath.FROM_CLUSTER, SyntheticPacket.tcp(POD, 5000, CLIENT, 443).withTcpFlags(FIN_ACK));
        run(
                Datapath.FROM_LEGACY,
                SyntheticPacket.tcp(CLIENT, 443, "203.0.113.7", port).withTcpFlags(FIN_ACK));
        run(Datapath.FROM_LEGACY, client(40004, SyntheticPacket.SYN)); // an open DNAT flow
        assertThat(dp.expireConntrack()).as("nothing is idle yet").isZero();

        idleFor(Duration.ofSeconds(11));
        assertThat(dp.expireConntrack())
                .as("the closed SNAT flow's two entries")
                .isEqualTo(2);
        assertThat(dp.conntrack(10))
                .extracting(ConntrackEntry::kind)
                .containsExactlyInAnyOrder(ConntrackEntry.Kind.DNAT, ConntrackEntry.Kind.DNAT_REPLY);
        assertThat(run(Datapath.FROM_CLUSTER, SyntheticPacket.tcp("10.1.0.21", 5000, CLIENT, 443)))
                .as("the port is free again")
                .isEqualTo(TC_ACT_OK);
    }

    @Test
    void aBlindRstOutsideTheTrackedWindowIsHandedOnWithoutClosingTheFlow() {
        run(Datapath.FROM_LEGACY, client(40020, SyntheticPacket.SYN));
        assertThat(entries().values())
                .as("seq 1000, 5 bytes and the SYN: the client's next segment starts at 1006")
                .filteredOn(v -> v.dir() == 1)
                .singleElement()
                .satisfies(v -> assertThat(v.seqNext()).isEqualTo(1006))
                .satisfies(v -> assertThat(v.flags() & CtValue.SEQ).isNotZero());
        run(Datapath.FROM_CLUSTER, backend(40020, SyntheticPacket.SYN | SyntheticPacket.ACK));
        long outOfWindow = count(Counter.RST_OUT_OF_WINDOW);
        TestRun.Result blind =
                dp.object().testRun(Datapath.FROM_LEGACY, client(40020, RST).frameWithSeq(1006 + 0x1000_0000), 1);
        assertThat(blind.retval())
                .as("translated: the backend judges it itself")
                .isEqualTo(TC_ACT_OK);
        assertThat(count(Counter.RST_OUT_OF_WINDOW)).isEqualTo(outOfWindow + 1);
        assertThat(entries().values()).hasSize(2).noneMatch(CtValue::closing);

        run(Datapath.FROM_LEGACY, client(40020, RST)); // seq 1000: a few bytes behind the next, in the window
        assertThat(entries().values()).hasSize(2).allMatch(CtValue::closing);
    }

    @Test
    void anRstOfNoKnownFlowCreatesNoState() {
        assertThat(run(Datapath.FROM_LEGACY, client(40030, RST)))
                .as("translated to the backend a moved flow has")
                .isEqualTo(TC_ACT_OK);
        long dropped = count(Counter.DROP_NO_FLOW);
        assertThat(run(
                        Datapath.FROM_CLUSTER,
                        SyntheticPacket.tcp(POD, 5030, CLIENT, 443).withTcpFlags(RST)))
                .as("a pod's RST has no port to leave with")
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_NO_FLOW)).isEqualTo(dropped + 1);
        assertThat(entries()).isEmpty();
    }

    @Test
    void aSweepPassThatThrowsAnErrorIsCountedAndTheSweeperKeepsRunning() throws InterruptedException {
        try (Datapath own = open(Datapath.OBJECT)) {
            java.util.concurrent.atomic.AtomicInteger passes = new java.util.concurrent.atomic.AtomicInteger();
            own.startSweeper(Duration.ofMillis(10), () -> {
                if (passes.incrementAndGet() <= 2) {
                    throw new StackOverflowError("a pass that dies with an Error");
                }
                return 0;
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (own.conntrackSweep().passes() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            ConntrackSweep sweep = own.conntrackSweep();
            assertThat(sweep.failures()).isEqualTo(2);
            assertThat(sweep.passes()).as("passes after the failures completed").isGreaterThanOrEqualTo(2);
            assertThat(sweep.running()).isTrue();
            assertThat(sweep.healthy(Duration.ofSeconds(1))).isTrue();
        }
    }
}
