package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The datapath's edges under attack, with real packets through the kernel: a legacy host, the gateway with the
 * programs attached, and an egress-restricted pod, each in its own network namespace, over veth pairs. Crafted
 * packets (spoofed sources, other protocols, IPv6) are sent from AF_PACKET sockets; connections are real kernel
 * TCP connections between sockets opened in the pod's and the legacy host's namespaces. Packet counts are bounded.
 *
 * <pre>
 *  legacy 192.0.2.5 --- 192.0.2.1 [lg0  gateway  cl0] 10.1.0.1 --- 10.1.0.10 pod (identity 7)
 *         fd00:2::5     fd00:2::1                     fd00:1::1     fd00:1::10
 *  VIP 198.51.100.10:80 -> pod:8080      pod -> 192.0.2.0/24 leaves as 203.0.113.7
 * </pre>
 */
class EdgeTrafficIT {

    static final String LEGACY = "192.0.2.5";
    static final String POD = "10.1.0.10";
    static final String EGRESS = "203.0.113.7";
    static final String VIP = "198.51.100.10";
    static final String POD6 = "fd00:1::10";
    static final String LEGACY6 = "fd00:2::5";
    /** The inbound conntrack of these tests: small, so a bounded flood turns it over several times. */
    static final int INBOUND_ENTRIES = 1024;

    static NetNs legacy;
    static NetNs gw;
    static NetNs pod;
    static final ExecutorService CAPTURE =
            Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

    Datapath dp;

    static final TranslationTable TABLE = TranslationTable.EMPTY
            .withServices(List.of(new ServiceTranslation(
                    Ipv4.parse(VIP), 80, Protocol.TCP, 100, List.of(new Backend(Ipv4.parse(POD), 8080, 1, true)))))
            .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
            .withEgress(
                    List.of(new EgressTranslation(7, Ipv4.parse(EGRESS), List.of(Ipv4Prefix.parse("192.0.2.0/24")))));

    @BeforeAll
    static void topology() {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        legacy = NetNs.create("eleg");
        gw = NetNs.create("egw");
        pod = NetNs.create("epod");
        NetNs.link(legacy, "eth0", "192.0.2.5/24", gw, "lg0", "192.0.2.1/24");
        NetNs.link(gw, "cl0", "10.1.0.1/24", pod, "eth0", "10.1.0.10/24");
        legacy.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1").check();
        legacy.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.1").check();
        pod.exec("ip", "route", "add", "default", "via", "10.1.0.1").check();
        legacy.exec("ip", "-6", "addr", "add", LEGACY6 + "/64", "dev", "eth0", "nodad")
                .check();
        gw.exec("ip", "-6", "addr", "add", "fd00:2::1/64", "dev", "lg0", "nodad")
                .check();
        gw.exec("ip", "-6", "addr", "add", "fd00:1::1/64", "dev", "cl0", "nodad")
                .check();
        pod.exec("ip", "-6", "addr", "add", POD6 + "/64", "dev", "eth0", "nodad")
                .check();
        for (String key : List.of(
                "net.ipv4.ip_forward=1",
                "net.ipv6.conf.all.forwarding=1",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.lg0.rp_filter=0",
                "net.ipv4.conf.cl0.rp_filter=0")) {
            gw.exec("sysctl", "-qw", key).check();
        }
    }

    @AfterAll
    static void teardown() {
        Stream.of(legacy, gw, pod).filter(n -> n != null).forEach(NetNs::close);
    }

    @BeforeEach
    void attach() {
        dp = ThreadNetns.call(
                gw,
                () -> Datapath.open(DatapathOptions.detached()
                        .withMode(Attachment.Mode.TCX)
                        .withMaxEntries(Map.of(Datapath.CONNTRACK_MAP, INBOUND_ENTRIES))
                        .withInterfaces("lg0", "cl0")));
        dp.apply(TABLE);
    }

    @AfterEach
    void detach() {
        if (dp != null) {
            ThreadNetns.run(gw, dp::detach);
            dp.close();
        }
    }

    long count(Counter c) {
        return dp.counters().get(c).packets();
    }

    static byte[] mac(NetNs ns, String ifName) {
        return HexFormat.ofDelimiter(":")
                .parseHex(ns.exec("cat", "/sys/class/net/" + ifName + "/address")
                        .check()
                        .stdout()
                        .strip());
    }

    /**
     * What reaches the legacy host while {@code send} runs (and a moment after), from a source {@code from} accepts:
     * each frame's Ethernet and IP headers in hex.
     */
    static List<String> arrivingAtLegacy(Runnable send, Predicate<byte[]> from) {
        try (PacketSocket capture = PacketSocket.open(legacy, "eth0")) {
            CompletableFuture<List<byte[]>> seen =
                    CompletableFuture.supplyAsync(() -> capture.received(Duration.ofSeconds(3)), CAPTURE);
            sleep(200);
            send.run();
            return seen.join().stream()
                    .filter(from)
                    .map(f -> HexFormat.of().formatHex(f, 0, Math.min(f.length, 54)))
                    .toList();
        }
    }

    static Predicate<byte[]> ipv4From(String addr) {
        byte[] a = Ipv4.parse(addr).getAddress();
        return f -> f.length >= 34 && f[12] == 0x08 && f[13] == 0x00 && java.util.Arrays.equals(f, 26, 30, a, 0, 4);
    }

    static Predicate<byte[]> ipv6From(String addr) {
        byte[] a = address(addr).getAddress();
        return f -> f.length >= 54
                && (f[12] & 0xff) == 0x86
                && (f[13] & 0xff) == 0xdd
                && java.util.Arrays.equals(f, 22, 38, a, 0, 16);
    }

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A datagram of {@code size} bytes from the pod's kernel: above the link's 1,500 bytes it goes as fragments. */
    static void udpFromPod(int size) {
        pod.exec(
                        Duration.ofSeconds(10),
                        "sh",
                        "-c",
                        "head -c " + size + " /dev/zero | socat -u - UDP:" + LEGACY + ":9999")
                .check();
    }

    @Test
    void fragmentsFromAnEgressRestrictedPodAreDroppedNotLeftUntranslated() {
        List<String> translated = arrivingAtLegacy(() -> udpFromPod(100), ipv4From(EGRESS));
        assertThat(translated)
                .as("a whole datagram leaves from the egress address")
                .hasSize(1);

        long dropped = count(Counter.DROP_EGRESS_FRAGMENT);
        List<String> leaked = arrivingAtLegacy(() -> udpFromPod(3000), ipv4From(POD));
        assertThat(leaked).as("fragments leaving with the pod's own address").isEmpty();
        assertThat(count(Counter.DROP_EGRESS_FRAGMENT) - dropped)
                .as("a 3,000-byte datagram is three fragments")
                .isEqualTo(3);
    }

    @Test
    void pingsAndOtherProtocolsFromAnEgressRestrictedPodAreDroppedNotLeftUntranslated() {
        byte[] gwMac = mac(gw, "cl0");
        long dropped = count(Counter.DROP_EGRESS_PROTOCOL);
        List<String> leaked = arrivingAtLegacy(
                () -> {
                    pod.exec(Duration.ofSeconds(10), "ping", "-c", "2", "-i", "0.2", "-W", "1", LEGACY);
                    try (PacketSocket raw = PacketSocket.open(pod, "eth0")) {
                        raw.send(greFrame(POD, LEGACY), gwMac);
                    }
                },
                ipv4From(POD));
        assertThat(leaked)
                .as("echo requests and GRE leaving with the pod's own address")
                .isEmpty();
        assertThat(count(Counter.DROP_EGRESS_PROTOCOL) - dropped)
                .as("two echo requests and one GRE packet")
                .isEqualTo(3);
    }

    @Test
    void ipv6FromTheClustersIsDroppedWhileEgressIsSnated() {
        byte[] gwMac = mac(gw, "cl0");
        long dropped = count(Counter.DROP_EGRESS_IPV6);
        List<String> leaked = arrivingAtLegacy(
                () -> {
                    try (PacketSocket raw = PacketSocket.open(pod, "eth0")) {
                        for (int i = 0; i < 3; i++) {
                            raw.send(udp6Frame(POD6, LEGACY6), gwMac);
                        }
                    }
                },
                ipv6From(POD6));
        assertThat(leaked).as("IPv6 routed past the egress address").isEmpty();
        assertThat(count(Counter.DROP_EGRESS_IPV6) - dropped).isEqualTo(3);
        assertThat(legacy.exec("ping", "-6", "-c", "1", "-W", "2", "fd00:2::1").ok())
                .as("neighbour discovery and the legacy side's own IPv6 are not concerned")
                .isTrue();
    }

    /** A connection from the pod to the legacy host, through the gateway's SNAT, with both ends' sockets. */
    record Connection(Socket podEnd, Socket legacyEnd, ServerSocket listener) implements AutoCloseable {

        static Connection open() {
            ServerSocket listener = ThreadNetns.call(legacy, () -> {
                try {
                    return new ServerSocket(9000, 5, address("0.0.0.0"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                Socket client = ThreadNetns.call(pod, () -> {
                    try {
                        return new Socket(LEGACY, 9000);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                listener.setSoTimeout(5000);
                Socket server = listener.accept();
                client.setSoTimeout(3000);
                server.setSoTimeout(3000);
                return new Connection(client, server, listener);
            } catch (IOException e) {
                close(listener);
                throw new UncheckedIOException(e);
            }
        }

        /** The legacy end sends first (the reply direction, translated by the egress reply entry); the pod answers. */
        boolean exchange(int b) {
            try {
                legacyEnd.getOutputStream().write(b);
                if (podEnd.getInputStream().read() != b) {
                    return false;
                }
                podEnd.getOutputStream().write(b + 1);
                return legacyEnd.getInputStream().read() == b + 1;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        int egressPort() {
            assertThat(legacyEnd.getInetAddress().getHostAddress()).isEqualTo(EGRESS);
            return legacyEnd.getPort();
        }

        @Override
        public void close() {
            Stream.of(podEnd, legacyEnd, listener).forEach(Connection::close);
        }

        static void close(java.io.Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a test connection: nothing to do
            }
        }
    }

    @Test
    void aSpoofedAckFloodToAVipCannotEvictAnEstablishedEgressFlow() {
        try (Connection c = Connection.open()) {
            assertThat(c.exchange('a')).isTrue();
            byte[] gwMac = mac(gw, "lg0");
            long created = count(Counter.DNAT_NEW);
            int flood = 4 * INBOUND_ENTRIES;
            try (PacketSocket raw = PacketSocket.open(legacy, "eth0")) {
                for (int i = 0; i < flood; i++) {
                    String spoofed = "100.64." + (i >> 8) + "." + (i & 0xff);
                    raw.send(
                            SyntheticPacket.tcp(spoofed, 10000 + i, VIP, 80)
                                    .withTcpFlags(SyntheticPacket.ACK)
                                    .frame(),
                            gwMac);
                }
            }
            assertThat(count(Counter.DNAT_NEW) - created)
                    .as("every spoofed ACK made an inbound flow: the inbound table turned over")
                    .isGreaterThanOrEqualTo(2L * INBOUND_ENTRIES);
            sleep(1100); // the flow cache trusts a slot for up to 100 jiffies; then conntrack itself decides
            assertThat(c.exchange('c'))
                    .as("the established egress flow still works both ways, replies first")
                    .isTrue();
        }
    }

    Map<CtKey, CtValue> egressEntriesOf(int egressPort) {
        Map<CtKey, CtValue> out = new java.util.HashMap<>();
        dp.maps().egressConntrack().entries().forEach((k, v) -> {
            if (k.dport() == egressPort || v.natPort() == egressPort) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void aBlindRstWithAWrongSequenceLeavesAnIdleEgressFlowOpenAndTheEndpointsOwnRstClosesIt() throws IOException {
        try (Connection c = Connection.open()) {
            assertThat(c.exchange('a')).isTrue();
            int port = c.egressPort();
            CtKey fromLegacy =
                    new CtKey(Ipv4.toInt(Ipv4.parse(LEGACY)), Ipv4.toInt(Ipv4.parse(EGRESS)), 9000, port, 6, 1);
            int tracked =
                    dp.maps().egressConntrack().get(fromLegacy).orElseThrow().seqNext();
            long outOfWindow = count(Counter.RST_OUT_OF_WINDOW);
            try (PacketSocket raw = PacketSocket.open(legacy, "eth0")) {
                raw.send(
                        SyntheticPacket.tcp(LEGACY, 9000, EGRESS, port)
                                .withTcpFlags(SyntheticPacket.RST)
                                .frameWithSeq(tracked + 0x4000_0000),
                        mac(gw, "lg0"));
            }
            assertThat(count(Counter.RST_OUT_OF_WINDOW) - outOfWindow).isEqualTo(1);
            assertThat(egressEntriesOf(port).values())
                    .as("the flow's two entries stay open")
                    .hasSize(2)
                    .noneMatch(CtValue::closing);

            // Eleven idle seconds (a closed flow's entries are gone after ten) and a sweep.
            long then = System.nanoTime() - Duration.ofSeconds(11).toNanos();
            egressEntriesOf(port).forEach((k, v) -> dp.maps().egressConntrack().put(k, v.withLastSeen(then)));
            dp.clearFlowCache();
            dp.expireConntrack();
            assertThat(c.exchange('c'))
                    .as("the idle flow survived the blind RST")
                    .isTrue();

            c.legacyEnd().setSoLinger(true, 0);
            c.legacyEnd().close(); // the legacy host's own RST, with its real sequence number
            awaitTrue(() -> egressEntriesOf(port).values().stream().allMatch(CtValue::closing));
            assertThat(egressEntriesOf(port))
                    .as("the endpoint's RST closed the flow")
                    .hasSize(2);
            assertThatThrownBy(() -> c.podEnd().getInputStream().read())
                    .as("and reached the pod")
                    .isInstanceOf(IOException.class);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 3 s").isLessThan(deadline);
            sleep(20);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** IPv4 header of {@code protocol} with {@code l4} as its payload, in an Ethernet frame. */
    static byte[] ipv4Frame(String src, String dst, int protocol, byte[] l4) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4.length);
        b.put(new byte[12]).putShort((short) 0x0800);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + l4.length))
                .putShort((short) 1)
                .putShort((short) 0x4000);
        b.put((byte) 64).put((byte) protocol).putShort((short) 0);
        b.put(Ipv4.parse(src).getAddress()).put(Ipv4.parse(dst).getAddress()).put(l4);
        byte[] f = b.array();
        int sum = SyntheticPacket.checksum(f, 14, 20, 0);
        f[24] = (byte) (sum >> 8);
        f[25] = (byte) sum;
        return f;
    }

    /** A GRE packet (RFC 2784: no options, an IPv4 payload type and no payload). */
    static byte[] greFrame(String src, String dst) {
        return ipv4Frame(src, dst, 47, new byte[] {0, 0, 0x08, 0});
    }

    /** A UDP datagram over IPv6 (the checksum is left 0: forwarding does not look at it). */
    static byte[] udp6Frame(String src, String dst) {
        byte[] payload = "ping".getBytes();
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + payload.length);
        b.put(new byte[12]).putShort((short) 0x86dd);
        b.putInt(0x6000_0000)
                .putShort((short) (8 + payload.length))
                .put((byte) 17)
                .put((byte) 64);
        b.put(address(src).getAddress()).put(address(dst).getAddress());
        b.putShort((short) 5000)
                .putShort((short) 9999)
                .putShort((short) (8 + payload.length))
                .putShort((short) 0);
        b.put(payload);
        return b.array();
    }
}
