package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways of one cluster, each with its own datapath and no shared conntrack, as when the routers spread a VIP
 * over them with ECMP and move flows when one goes away. Crafted packets through BPF_PROG_TEST_RUN of both.
 */
class GatewayFailoverIT extends DetachedDatapath {

    static final int TCP_ACK = 0x10;
    static Datapath other;

    @BeforeAll
    static void loadOther() {
        other = open(Datapath.OBJECT);
    }

    @AfterAll
    static void closeOther() {
        if (other != null) {
            other.close();
        }
    }

    @BeforeEach
    void reset() {
        for (Datapath d : List.of(dp, other)) {
            d.apply(TranslationTable.EMPTY);
            d.clearConntrack();
        }
    }

    static List<Backend> backends(int n) {
        List<Backend> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Backend(Ipv4.parse("10.1.0." + (10 + i)), 8080, 1, true));
        }
        return out;
    }

    static TranslationTable serving(List<Backend> backends) {
        return TranslationTable.EMPTY.withServices(
                List.of(new ServiceTranslation(Ipv4.parse(VIP), 80, Protocol.TCP, 100, backends)));
    }

    static SyntheticPacket flow(int i) {
        return SyntheticPacket.tcp("192.0.2." + (1 + i % 200), 20000 + i, VIP, 80);
    }

    static TestRun.Result send(Datapath d, SyntheticPacket p) {
        return d.object().testRun(Datapath.FROM_LEGACY, p.frame(), 1);
    }

    static String backendOf(Datapath d, SyntheticPacket p) {
        TestRun.Result r = send(d, p);
        assertThat(r.retval()).as("verdict for %s", p).isEqualTo(TC_ACT_OK);
        return SyntheticPacket.parse(r.packetOut()).dst();
    }

    @Test
    void aFlowMovedToTheOtherGatewayMidStreamKeepsItsBackend() {
        List<Backend> backends = backends(4);
        dp.apply(serving(backends));
        // The other gateway met other services first (its ids differ) and lists the backends in another order.
        other.apply(TranslationTable.EMPTY.withServices(List.of(new ServiceTranslation(
                Ipv4.parse("198.51.100.99"), 443, Protocol.TCP, 100, backends(9).reversed()))));
        List<Backend> shuffled = new ArrayList<>(backends);
        Collections.shuffle(shuffled, new Random(3));
        other.apply(serving(shuffled));

        long newBefore = other.counters().get(Counter.DNAT_NEW).packets();
        java.util.Set<String> used = new java.util.HashSet<>();
        int flows = 400;
        for (int i = 0; i < flows; i++) {
            String first = backendOf(dp, flow(i));
            used.add(first);
            // The routers move the flow: its next packet, an ACK, reaches a gateway that never saw it.
            assertThat(backendOf(other, flow(i).withTcpFlags(TCP_ACK)))
                    .as("flow %d after moving gateways", i)
                    .isEqualTo(first);
        }
        assertThat(used).as("the flows spread over every backend").hasSize(4);
        assertThat(other.counters().get(Counter.DNAT_NEW).packets() - newBefore)
                .as("mid-stream packets are translated as new flows there, not dropped")
                .isEqualTo(flows);
        assertThat(other.conntrack(2 * flows + 10)).hasSize(2 * flows);
    }

    static TestRun.Result fromCluster(Datapath d, SyntheticPacket p) {
        return d.object().testRun(Datapath.FROM_CLUSTER, p.frame(), 1);
    }

    /** What {@code d} makes of a backend's packet: it must be translated, with checksums recomputed from scratch. */
    static SyntheticPacket replyVia(Datapath d, SyntheticPacket p) {
        TestRun.Result r = fromCluster(d, p);
        assertThat(r.retval()).as("verdict for %s", p).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.checksumsValid(r.packetOut()))
                .as("IPv4 and L4 checksums of %s", p)
                .isTrue();
        return SyntheticPacket.parse(r.packetOut());
    }

    /** {@code p} leaves {@code d} untouched. */
    static void untouched(Datapath d, SyntheticPacket p, String why) {
        TestRun.Result r = fromCluster(d, p);
        assertThat(r.retval()).as(why).isEqualTo(TC_ACT_UNSPEC);
        assertThat(SyntheticPacket.parse(r.packetOut()).src()).as(why).isEqualTo(p.src());
    }

    /** TCP 80 of the VIP to two backends, UDP 53 of it to the first one's 5353. */
    static TranslationTable webAndDns() {
        List<Backend> two = backends(2);
        return TranslationTable.EMPTY.withServices(List.of(
                new ServiceTranslation(Ipv4.parse(VIP), 80, Protocol.TCP, 100, two),
                new ServiceTranslation(
                        Ipv4.parse(VIP),
                        53,
                        Protocol.UDP,
                        100,
                        List.of(new Backend(Ipv4.parse("10.1.0.10"), 5353, 1, true)))));
    }

    /**
     * The routers send a flow's packets to one gateway, but the backend's route leads its replies to the other, which
     * never saw the flow: there the reply leaves from the VIP all the same (SYN-ACK, then data), without a conntrack
     * entry being made for it.
     */
    @Test
    void aReplyOfAFlowTheOtherGatewayTranslatedLeavesFromTheVip() {
        dp.apply(webAndDns());
        other.apply(webAndDns());
        long repliesBefore = other.counters().get(Counter.DNAT_REPLY).packets();
        for (int i = 0; i < 8; i++) {
            SyntheticPacket syn = flow(i).withTcpFlags(SyntheticPacket.SYN);
            TestRun.Result in = send(dp, syn);
            assertThat(in.retval()).isEqualTo(TC_ACT_OK);
            SyntheticPacket atBackend = SyntheticPacket.parse(in.packetOut());

            SyntheticPacket synAck =
                    replyVia(other, atBackend.reply().withTcpFlags(SyntheticPacket.SYN | SyntheticPacket.ACK));
            assertThat(synAck.src()).as("flow %d's SYN-ACK", i).isEqualTo(VIP + ":80");
            assertThat(synAck.dst()).isEqualTo(syn.src());
            assertThat(synAck.tcpFlags()).isEqualTo(SyntheticPacket.SYN | SyntheticPacket.ACK);

            SyntheticPacket data = replyVia(other, atBackend.reply().withTcpFlags(SyntheticPacket.ACK));
            assertThat(data.src()).as("flow %d's data", i).isEqualTo(VIP + ":80");
            assertThat(data.payload()).isEqualTo(syn.payload());
        }
        SyntheticPacket query = SyntheticPacket.udp(CLIENT, 40053, VIP, 53);
        SyntheticPacket atDns = SyntheticPacket.parse(send(dp, query).packetOut());
        assertThat(atDns.dst()).isEqualTo("10.1.0.10:5353");
        assertThat(replyVia(other, atDns.reply()).src()).as("a UDP reply").isEqualTo(VIP + ":53");

        assertThat(other.counters().get(Counter.DNAT_REPLY).packets() - repliesBefore)
                .isEqualTo(8 * 2 + 1);
        assertThat(other.conntrack(10))
                .as("stateless: a pod cannot fill conntrack this way")
                .isEmpty();
    }

    /** The IPv6 twin: an IPv6 backend's reply reaching the gateway that did not translate its flow leaves from the VIP. */
    @Test
    void anIpv6ReplyOfAFlowTheOtherGatewayTranslatedLeavesFromTheVip() {
        dp.apply(Ipv6ProgramIT.dualStack());
        other.apply(Ipv6ProgramIT.dualStack());
        long repliesBefore = other.counters().get(Counter.DNAT_REPLY).packets();
        for (int i = 0; i < 4; i++) {
            SyntheticPacket6 syn = SyntheticPacket6.tcp(Ipv6ProgramIT.CLIENT6, 41000 + i, Ipv6ProgramIT.VIP6, 80);
            TestRun.Result in = dp.object().testRun(Datapath.FROM_LEGACY, syn.frame(), 1);
            assertThat(in.retval()).isEqualTo(TC_ACT_OK);
            String backend = SyntheticPacket6.parse(in.packetOut()).dst();
            String backendAddr = backend.substring(1, backend.indexOf(']'));
            for (int flags : new int[] {SyntheticPacket.SYN | SyntheticPacket.ACK, SyntheticPacket.ACK}) {
                TestRun.Result out = other.object()
                        .testRun(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket6.tcp(backendAddr, 8080, Ipv6ProgramIT.CLIENT6, 41000 + i)
                                        .withTcpFlags(flags)
                                        .frame(),
                                1);
                assertThat(out.retval()).as("flow %d, flags %x", i, flags).isEqualTo(TC_ACT_OK);
                assertThat(SyntheticPacket6.checksumValid(out.packetOut())).isTrue();
                SyntheticPacket6 reply = SyntheticPacket6.parse(out.packetOut());
                assertThat(reply.src()).isEqualTo("[" + Ipv6ProgramIT.VIP6 + "]:80");
                assertThat(reply.dst()).isEqualTo("[" + Ipv6ProgramIT.CLIENT6 + "]:" + (41000 + i));
            }
        }
        byte[] opening = SyntheticPacket6.tcp(Ipv6ProgramIT.BACKEND6_A, 8080, Ipv6ProgramIT.CLIENT6, 41100)
                .frame();
        TestRun.Result syn = other.object().testRun(Datapath.FROM_CLUSTER, opening, 1);
        assertThat(
                        syn.retval() == TC_ACT_OK
                                ? SyntheticPacket6.parse(syn.packetOut()).src()
                                : "not sent")
                .as("a bare SYN from the service port is no reply")
                .isNotEqualTo("[" + Ipv6ProgramIT.VIP6 + "]:80");
        assertThat(other.counters().get(Counter.DNAT_REPLY).packets() - repliesBefore)
                .isEqualTo(4 * 2);
        assertThat(other.conntrack(10)).as("stateless").isEmpty();
    }

    /**
     * Only replies are adopted: a backend opening a connection from its service port (a SYN without ACK), a packet from
     * another port of a backend, and a backend tuple that two VIPs name (a reply cannot tell which without conntrack)
     * are handed on as before.
     */
    @Test
    void whatIsNoReplyOrCannotBeToldApartIsNotAdopted() {
        ServiceTranslation second = new ServiceTranslation(
                Ipv4.parse("198.51.100.99"),
                80,
                Protocol.TCP,
                100,
                List.of(backends(2).get(1)));
        TranslationTable t =
                webAndDns().withServices(List.of(webAndDns().services().get(0), second));
        ApplyResult applied = other.apply(t);
        assertThat(applied.ambiguousReplies()).as("10.1.0.11:8080/TCP").isEqualTo(1);
        SyntheticPacket fromFirst = SyntheticPacket.tcp("10.1.0.10", 8080, CLIENT, 40000);

        assertThat(replyVia(other, fromFirst.withTcpFlags(SyntheticPacket.ACK)).src())
                .isEqualTo(VIP + ":80");
        untouched(other, fromFirst.withTcpFlags(SyntheticPacket.SYN), "a SYN from the service port opens a connection");
        untouched(
                other,
                SyntheticPacket.tcp("10.1.0.10", 9090, CLIENT, 40000).withTcpFlags(SyntheticPacket.ACK),
                "another port of the backend");
        untouched(
                other,
                SyntheticPacket.tcp("10.1.0.11", 8080, CLIENT, 40000).withTcpFlags(SyntheticPacket.ACK),
                "a backend tuple behind two VIPs");
        assertThat(other.conntrack(10)).isEmpty();
    }

    /** The pins of programs from before reply adoption: the datapath opens on them and pins a reply map it fills. */
    @Test
    void pinsWithoutTheReplyMapOpenAndGetIt() throws IOException {
        Path root = Path.of("/sys/fs/bpf")
                .resolve("mgwtest-" + ProcessHandle.current().pid() + "-rev");
        Path pin = root.resolve(Datapath.LAYOUT).resolve(Datapath.REPLY_MAP);
        try {
            try (Datapath first = Datapath.open(DatapathOptions.detached().withPinRoot(root))) {
                first.apply(webAndDns());
            }
            Files.delete(pin);
            try (Datapath upgraded = Datapath.open(DatapathOptions.detached().withPinRoot(root))) {
                assertThat(pin).exists();
                upgraded.apply(webAndDns());
                SyntheticPacket reply = SyntheticPacket.tcp("10.1.0.10", 8080, CLIENT, 40000);
                assertThat(replyVia(upgraded, reply.withTcpFlags(SyntheticPacket.ACK))
                                .src())
                        .isEqualTo(VIP + ":80");
            }
        } finally {
            DatapathTrafficIT.deleteTree(root);
        }
    }

    @Test
    void aBackendRemovedWhileAGatewayIsDownMovesFewOtherFlows() {
        List<Backend> four = backends(4);
        dp.apply(serving(four));
        int flows = 1000;
        List<String> before = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            before.add(backendOf(dp, flow(i)));
        }
        // The surviving gateway learns that backend 10.1.0.11 went away; its flows come without conntrack.
        List<Backend> three = new ArrayList<>(four);
        three.remove(1);
        other.apply(serving(three));
        int kept = 0;
        int moved = 0;
        for (int i = 0; i < flows; i++) {
            if (before.get(i).startsWith("10.1.0.11:")) {
                continue;
            }
            kept++;
            moved += backendOf(other, flow(i).withTcpFlags(TCP_ACK)).equals(before.get(i)) ? 0 : 1;
        }
        // Modulo over the remaining three would move about two thirds of them.
        assertThat(kept).isGreaterThan(flows / 2);
        assertThat(moved).as("flows of surviving backends moved, of %d", kept).isLessThanOrEqualTo(kept * 6 / 100);
    }

    @Test
    void aServiceGoingFromManyBackendsToOneAndBackDropsItsTableAndKeepsTranslating() {
        dp.apply(serving(backends(3)));
        assertThat(dp.readImage().maglev()).hasSize(1);
        dp.apply(serving(backends(1)));
        assertThat(dp.readImage().maglev()).as("one backend: the slots suffice").isEmpty();
        assertThat(backendOf(dp, flow(1))).isEqualTo("10.1.0.10:8080");
        dp.apply(serving(backends(2)));
        dp.clearConntrack();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int i = 0; i < 64; i++) {
            used.add(backendOf(dp, flow(i)));
        }
        assertThat(used).containsExactlyInAnyOrder("10.1.0.10:8080", "10.1.0.11:8080");
        dp.apply(TranslationTable.EMPTY);
        assertThat(dp.readImage().maglev()).isEmpty();
    }
}
