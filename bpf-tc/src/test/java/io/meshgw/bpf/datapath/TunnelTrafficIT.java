package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway-to-gateway forwarding with real packets: two gateways with the programs attached, a legacy client behind
 * east, a backend behind west whose default route is west, and no route from west back to the legacy LAN through
 * east: west's own uplink (a link to a namespace that routes nowhere) is where it would send the client's address.
 *
 * <pre>
 *  client 192.0.2.5 --- 192.0.2.1 [lg0  EAST  tn0] 172.16.9.1 ---- 172.16.9.2 [tn0  WEST  cl0] 10.2.0.1 --- 10.2.0.10 backend
 *                                                                               up0 -> uplink: west's default route
 *  VIP 198.51.100.10:80/tcp and :53/udp -> 10.2.0.10:8080 / :5353 (cluster 2)
 * </pre>
 */
class TunnelTrafficIT {

    static final String CLIENT = "192.0.2.5";
    static final String BACKEND = "10.2.0.10";
    static final String VIP = "198.51.100.10";
    static final String EAST_ENDPOINT = "172.16.9.1";
    static final String WEST_ENDPOINT = "172.16.9.2";

    static NetNs client;
    static NetNs east;
    static NetNs west;
    static NetNs backend;
    /** West's datacenter uplink: it answers nothing, so a reply sent there is lost. */
    static NetNs uplink;

    static final TranslationTable EAST_TABLE = TranslationTable.EMPTY.withServices(List.of(
            new ServiceTranslation(
                    Ipv4.parse(VIP), 80, Protocol.TCP, 100, List.of(new Backend(Ipv4.parse(BACKEND), 8080, 2, false))),
            new ServiceTranslation(
                    Ipv4.parse(VIP),
                    53,
                    Protocol.UDP,
                    100,
                    List.of(new Backend(Ipv4.parse(BACKEND), 5353, 2, false)))));
    static final TunnelTable EAST_TUNNELS =
            new TunnelTable(Optional.of(Ipv4.parse(EAST_ENDPOINT)), Map.of(2, Ipv4.parse(WEST_ENDPOINT)));
    static final TunnelTable WEST_TUNNELS =
            new TunnelTable(Optional.of(Ipv4.parse(WEST_ENDPOINT)), Map.of(1, Ipv4.parse(EAST_ENDPOINT)));

    Datapath eastDp;
    Datapath westDp;

    @BeforeAll
    static void topology() {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        client = NetNs.create("tcli");
        east = NetNs.create("teast");
        west = NetNs.create("twest");
        backend = NetNs.create("tbe");
        NetNs.link(client, "eth0", CLIENT + "/24", east, "lg0", "192.0.2.1/24");
        NetNs.link(east, "tn0", EAST_ENDPOINT + "/30", west, "tn0", WEST_ENDPOINT + "/30");
        NetNs.link(west, "cl0", "10.2.0.1/24", backend, "eth0", BACKEND + "/24");
        client.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1").check();
        backend.exec("ip", "route", "add", "default", "via", "10.2.0.1").check();
        // Plain routing as the lab had it one way only: east reaches west's pods over tn0, but west sends everything
        // else, the legacy LAN included, out of its own uplink.
        east.exec("ip", "route", "add", "10.2.0.0/24", "via", WEST_ENDPOINT).check();
        uplink = NetNs.create("tup");
        NetNs.link(west, "up0", "100.64.0.1/30", uplink, "eth0", "100.64.0.2/30");
        west.exec("ip", "route", "add", "default", "via", "100.64.0.2").check();
        for (NetNs gw : List.of(east, west)) {
            for (String key : List.of(
                    "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")) {
                gw.exec("sysctl", "-qw", key).check();
            }
        }
    }

    @AfterAll
    static void teardown() {
        Stream.of(client, east, west, backend, uplink).filter(n -> n != null).forEach(NetNs::close);
    }

    @BeforeEach
    void attach() {
        eastDp = ThreadNetns.call(
                east,
                () -> Datapath.open(
                        DatapathOptions.detached().withMode(Attachment.Mode.TCX).withInterfaces("lg0", "tn0")));
        westDp = ThreadNetns.call(
                west,
                () -> Datapath.open(
                        DatapathOptions.detached().withMode(Attachment.Mode.TCX).withInterfaces("up0", "tn0", "cl0")));
        eastDp.apply(EAST_TABLE);
        westDp.apply(TranslationTable.EMPTY);
        eastDp.applyTunnels(EAST_TUNNELS);
        westDp.applyTunnels(WEST_TUNNELS);
    }

    @AfterEach
    void detach() {
        for (var pair : List.of(Map.entry(east, eastDp), Map.entry(west, westDp))) {
            if (pair.getValue() != null) {
                ThreadNetns.run(pair.getKey(), pair.getValue()::detach);
                pair.getValue().close();
            }
        }
    }

    static long count(Datapath dp, Counter c) {
        return dp.counters().get(c).packets();
    }

    @Test
    void aBackendInAnotherClusterAnswersTheLegacyClientThroughTheTunnelWithoutARouteBack() throws IOException {
        try (ServerSocket listener = listen()) {
            try (Socket c = connect(VIP, 80);
                    Socket server = listener.accept()) {
                server.setSoTimeout(3000);
                c.setSoTimeout(3000);
                assertThat(server.getInetAddress().getHostAddress())
                        .as("the backend sees the legacy client's own address")
                        .isEqualTo(CLIENT);
                c.getOutputStream().write("hello".getBytes());
                assertThat(server.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
                // Enough for the kernel to hand the programs GSO packets of many segments both ways.
                byte[] bulk = new byte[256 * 1024];
                Arrays.fill(bulk, (byte) 'x');
                server.getOutputStream().write(bulk);
                assertThat(readFully(c.getInputStream(), bulk.length))
                        .as("the client's socket, connected to the VIP, took the backend's replies: they came"
                                + " from the VIP")
                        .isEqualTo(bulk);
                c.getOutputStream().write(bulk);
                assertThat(readFully(server.getInputStream(), bulk.length)).isEqualTo(bulk);
            }
        }
        assertThat(count(eastDp, Counter.TUNNEL_OUT))
                .as("east encapsulated the client's packets")
                .isPositive();
        assertThat(count(westDp, Counter.TUNNEL_IN)).isPositive();
        assertThat(count(westDp, Counter.TUNNEL_OUT))
                .as("west sent the backend's replies back")
                .isPositive();
        assertThat(count(eastDp, Counter.TUNNEL_IN)).isPositive();
        assertThat(count(eastDp, Counter.DNAT_REPLY))
                .as("east translated the replies to the VIP")
                .isPositive();
        assertThat(westDp.conntrack(100))
                .extracting(ConntrackEntry::kind)
                .contains(ConntrackEntry.Kind.TUNNEL_IN, ConntrackEntry.Kind.TUNNEL_REPLY);
    }

    /**
     * What crosses the link between the gateways: IPIP from east's endpoint to west's, a valid IPv4 header (routers on
     * the path check it) with the inner packet's DF, around the client's packet as east translated it.
     */
    @Test
    void theTunnelledPacketIsAValidIpv4HeaderAroundTheTranslatedPacket() {
        List<byte[]> frames;
        try (PacketSocket capture = PacketSocket.open(west, "tn0")) {
            var seen =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> capture.received(Duration.ofSeconds(3)));
            sleep(200);
            try (ServerSocket listener = listen()) {
                assertThat(tryConnect(VIP, 80)).isTrue();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            frames = seen.join();
        }
        byte[] east = Ipv4.parse(EAST_ENDPOINT).getAddress();
        byte[] f = frames.stream()
                .filter(x -> x.length >= 54 && x[12] == 0x08 && x[13] == 0x00 && x[23] == 4)
                .filter(x -> Arrays.equals(x, 26, 30, east, 0, 4))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no IPIP from east's endpoint on the link"));
        assertThat(SyntheticPacket.checksum(f, 14, 20, 0))
                .as("the outer header's checksum")
                .isZero();
        assertThat(Arrays.copyOfRange(f, 30, 34))
                .isEqualTo(Ipv4.parse(WEST_ENDPOINT).getAddress());
        assertThat(((f[14 + 6] & 0xff) << 8 | (f[14 + 7] & 0xff)) & 0x4000)
                .as("DF, copied from the client's SYN")
                .isEqualTo(0x4000);
        assertThat(Arrays.copyOfRange(f, 34 + 12, 34 + 16))
                .isEqualTo(Ipv4.parse(CLIENT).getAddress());
        assertThat(Arrays.copyOfRange(f, 34 + 16, 34 + 20))
                .as("east translated before it tunnelled")
                .isEqualTo(Ipv4.parse(BACKEND).getAddress());
        assertThat(SyntheticPacket.checksum(f, 34, 20, 0))
                .as("the inner header's checksum")
                .isZero();
    }

    /**
     * The SYN east tunnels and the SYN-ACK west tunnels back offer at most what the tunnel carries whole: the link's
     * 1,500 bytes less the outer header, the inner IPv4 header and the TCP header (1,440), down from the 1,460 both
     * ends offered. So no full-sized segment depends on "fragmentation needed" reaching its sender.
     */
    @Test
    void theHandshakeCrossingTheTunnelOffersASegmentSizeThatFitsIt() {
        List<byte[]> atWest;
        List<byte[]> atEast;
        try (PacketSocket westSide = PacketSocket.open(west, "tn0");
                PacketSocket eastSide = PacketSocket.open(east, "tn0")) {
            var w = java.util.concurrent.CompletableFuture.supplyAsync(() -> westSide.received(Duration.ofSeconds(3)));
            var e = java.util.concurrent.CompletableFuture.supplyAsync(() -> eastSide.received(Duration.ofSeconds(3)));
            sleep(200);
            try (ServerSocket listener = listen()) {
                assertThat(tryConnect(VIP, 80)).isTrue();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            atWest = w.join();
            atEast = e.join();
        }
        assertThat(mssOfTunnelled(atWest, EAST_ENDPOINT, 0x02))
                .as("the client's SYN")
                .isEqualTo(1440);
        assertThat(mssOfTunnelled(atEast, WEST_ENDPOINT, 0x12))
                .as("the backend's SYN-ACK")
                .isEqualTo(1440);
    }

    /** The MSS option of the first IPIP frame from {@code from} whose inner TCP flags are exactly {@code flags}. */
    static int mssOfTunnelled(List<byte[]> frames, String from, int flags) {
        byte[] src = Ipv4.parse(from).getAddress();
        int tcp = 14 + 20 + 20;
        byte[] f = frames.stream()
                .filter(x -> x.length >= tcp + 24 && x[12] == 0x08 && x[13] == 0x00 && x[23] == 4)
                .filter(x -> Arrays.equals(x, 26, 30, src, 0, 4))
                .filter(x -> x[34 + 9] == 6 && (x[tcp + 13] & 0xff) == flags)
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no tunnelled TCP segment with flags " + flags + " from " + from));
        for (int o = tcp + 20; o + 4 <= tcp + ((f[tcp + 12] & 0xf0) >> 2); ) {
            int kind = f[o] & 0xff;
            if (kind == 0) {
                break;
            }
            if (kind == 1) {
                o++;
                continue;
            }
            if (kind == 2) {
                return (f[o + 2] & 0xff) << 8 | (f[o + 3] & 0xff);
            }
            o += f[o + 1] & 0xff;
        }
        throw new AssertionError("no MSS option");
    }

    /**
     * A datagram to the VIP whose remote backend has nothing listening: the backend's "port unreachable" quotes the
     * datagram as it arrived (to the backend's address) and is addressed to the legacy client, which west routes out of
     * its uplink. West sends it back through the tunnel like the flow's replies, east translates it as it would a local
     * backend's, and the client's connected socket learns the port is closed instead of waiting.
     */
    @Test
    void aRemoteBackendsPortUnreachableReachesTheClientThroughTheTunnelAsFromTheVip() throws IOException {
        long westErrors = count(westDp, Counter.ICMP_ERROR);
        long eastErrors = count(eastDp, Counter.ICMP_ERROR);
        try (java.net.DatagramSocket s = ThreadNetns.call(client, () -> {
            try {
                java.net.DatagramSocket d = new java.net.DatagramSocket();
                d.connect(new InetSocketAddress(VIP, 53));
                d.setSoTimeout(3000);
                return d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        })) {
            s.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3));
            assertThatThrownBy(() -> s.receive(new java.net.DatagramPacket(new byte[64], 64)))
                    .as("the error reached the client and matched its socket: it quoted the VIP")
                    .isInstanceOf(java.net.PortUnreachableException.class);
        }
        assertThat(count(westDp, Counter.ICMP_ERROR) - westErrors)
                .as("west sent the error back through the tunnel")
                .isEqualTo(1);
        assertThat(count(eastDp, Counter.ICMP_ERROR) - eastErrors)
                .as("east translated it")
                .isEqualTo(1);
    }

    /** What the lab's hand-placed route hid: with no tunnel, the backend's reply leaves by west's own uplink. */
    @Test
    void withoutTheTunnelTheBackendsReplyLeavesByItsOwnUplinkAndTheConnectionFails() throws IOException {
        eastDp.applyTunnels(TunnelTable.NONE);
        westDp.applyTunnels(TunnelTable.NONE);
        try (ServerSocket listener = listen()) {
            assertThat(tryConnect(VIP, 80)).as("connected without the tunnel").isFalse();
        }
        assertThat(count(eastDp, Counter.DNAT_NEW))
                .as("east translated and routed the SYN")
                .isPositive();
        assertThat(count(eastDp, Counter.TUNNEL_OUT)).isZero();
    }

    @Test
    void ipipFromASourceThatIsNoPeerGatewayIsDroppedAndCounted() {
        byte[] inner = SyntheticPacket.udp(CLIENT, 4000, BACKEND, 5353).frame();
        byte[] westMac = mac(west, "tn0");
        long peerDrops = count(westDp, Counter.DROP_TUNNEL_PEER);
        long decapsulated = count(westDp, Counter.TUNNEL_IN);
        try (PacketSocket s = PacketSocket.open(east, "tn0")) {
            for (int i = 0; i < 3; i++) {
                s.send(SyntheticPacket.ipip("172.16.9.3", WEST_ENDPOINT, inner), westMac);
            }
            s.send(SyntheticPacket.ipip(EAST_ENDPOINT, WEST_ENDPOINT, inner), westMac);
        }
        sleep(300);
        assertThat(count(westDp, Counter.DROP_TUNNEL_PEER) - peerDrops).isEqualTo(3);
        assertThat(count(westDp, Counter.TUNNEL_IN) - decapsulated)
                .as("the same packet from the peer gateway's endpoint is decapsulated")
                .isEqualTo(1);
    }

    /**
     * A datagram with DF that fits the client's link but not the tunnel's (20 bytes more over a 1,400-byte link):
     * east answers "fragmentation needed" with the MTU less the outer header, quoting the packet as the client sent
     * it, so the client's kernel learns the path MTU of the VIP.
     */
    @Test
    void anOversizePacketWithDfTeachesTheClientThePathMtuLessTheTunnelHeader() {
        try {
            east.exec("ip", "link", "set", "tn0", "mtu", "1400").check();
            west.exec("ip", "link", "set", "tn0", "mtu", "1400").check();
            client.exec("ip", "route", "flush", "cache").check();
            long drops = count(eastDp, Counter.DROP_TUNNEL_MTU);
            client.exec(
                    Duration.ofSeconds(10),
                    "sh",
                    "-c",
                    "head -c 1400 /dev/zero | socat -u -t 3 - UDP:" + VIP + ":53,mtudiscover=2");
            assertThat(client.exec("ip", "route", "get", VIP).stdout())
                    .as("1,400 bytes of link less 20 of outer header")
                    .contains("mtu 1380");
            assertThat(count(eastDp, Counter.DROP_TUNNEL_MTU) - drops).isEqualTo(1);
        } finally {
            east.exec("ip", "link", "set", "tn0", "mtu", "1500");
            west.exec("ip", "link", "set", "tn0", "mtu", "1500");
            client.exec("ip", "route", "flush", "cache");
        }
    }

    /**
     * A full-sized TCP segment that does not fit the tunnel, sent by a socket whose kernel has yet to fill its checksum
     * (what a local socket hands a veth): the link between the gateways shrinks to 1,400 bytes after the handshake
     * (whose MSS fitted 1,500), so the client's segments stop fitting; east answers "fragmentation needed", and the
     * client takes it. With checksum offload off on east's link the error's checksum is completed in software and
     * checked by the client, so a wrong one would leave the path MTU unlearnt and the transfer stalled.
     */
    @Test
    void aFullSizedTcpSegmentTeachesTheClientThePathMtuThroughAnErrorWhoseChecksumHolds() throws IOException {
        try {
            client.exec("ethtool", "-K", "eth0", "tso", "off", "gso", "off").check();
            east.exec("ethtool", "-K", "lg0", "tx", "off").check();
            client.exec("ip", "route", "flush", "cache").check();
            long drops = count(eastDp, Counter.DROP_TUNNEL_MTU);
            byte[] bulk = new byte[64 * 1024];
            Arrays.fill(bulk, (byte) 'y');
            try (ServerSocket listener = listen();
                    Socket c = connect(VIP, 80);
                    Socket server = listener.accept()) {
                server.setSoTimeout(5000);
                east.exec("ip", "link", "set", "tn0", "mtu", "1400").check();
                west.exec("ip", "link", "set", "tn0", "mtu", "1400").check();
                c.getOutputStream().write(bulk);
                assertThat(readFully(server.getInputStream(), bulk.length)).isEqualTo(bulk);
            }
            assertThat(client.exec("ip", "route", "get", VIP).stdout())
                    .as("1,400 bytes of link less 20 of outer header")
                    .contains("mtu 1380");
            assertThat(count(eastDp, Counter.DROP_TUNNEL_MTU) - drops)
                    .as("segments too large for the tunnel were answered, not forwarded")
                    .isPositive();
        } finally {
            client.exec("ethtool", "-K", "eth0", "tso", "on", "gso", "on");
            east.exec("ethtool", "-K", "lg0", "tx", "on");
            east.exec("ip", "link", "set", "tn0", "mtu", "1500");
            west.exec("ip", "link", "set", "tn0", "mtu", "1500");
            client.exec("ip", "route", "flush", "cache");
        }
    }

    /**
     * GSO packets through the tunnel, segmented in software where they leave the receiving gateway: the decapsulated
     * packet keeps the kernel's encapsulation state (this kernel resets it on no decapsulation of a program's), so the
     * segmentation of what is now a plain TCP packet must not take it for IPIP. Transmit offload is on where the
     * tunnel's packets are sent (whole GSO packets cross the veth) and off where each gateway hands the decapsulated
     * packets on (segmented there, checksums completed in software and checked by the receiver), both ways.
     */
    @Test
    void bulkTransfersBothWaysAreSegmentedWholeWhereTheDecapsulatingGatewayHandsThemOn() throws IOException {
        try {
            west.exec("ethtool", "-K", "cl0", "tx", "off").check();
            east.exec("ethtool", "-K", "lg0", "tx", "off").check();
            byte[] bulk = new byte[4 * 1024 * 1024];
            for (int i = 0; i < bulk.length; i++) {
                bulk[i] = (byte) (i * 31 + (i >> 12));
            }
            long decapsulated = count(westDp, Counter.TUNNEL_IN);
            try (ServerSocket listener = listen();
                    Socket c = connect(VIP, 80);
                    Socket server = listener.accept()) {
                server.setSoTimeout(10_000);
                c.setSoTimeout(10_000);
                Thread up = sending(c, bulk);
                assertThat(readFully(server.getInputStream(), bulk.length))
                        .as("the client's 4 MB reached the backend whole")
                        .isEqualTo(bulk);
                up.join(10_000);
                Thread down = sending(server, bulk);
                assertThat(readFully(c.getInputStream(), bulk.length))
                        .as("the backend's 4 MB reached the client whole")
                        .isEqualTo(bulk);
                down.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertThat(count(westDp, Counter.TUNNEL_IN) - decapsulated)
                    .as("through the tunnel")
                    .isPositive();
        } finally {
            west.exec("ethtool", "-K", "cl0", "tx", "on");
            east.exec("ethtool", "-K", "lg0", "tx", "on");
        }
    }

    /** Writes {@code data} to {@code socket} on a thread of its own, so the other end can read it meanwhile. */
    static Thread sending(Socket socket, byte[] data) {
        return Thread.ofVirtual().start(() -> {
            try {
                socket.getOutputStream().write(data);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static ServerSocket listen() {
        return listenIn(backend);
    }

    /** A listener on port 8080 of every address of {@code ns}, accepting within 5 s. */
    static ServerSocket listenIn(NetNs ns) {
        return ThreadNetns.call(ns, () -> {
            try {
                ServerSocket s = new ServerSocket(8080, 5, InetAddress.getByName("0.0.0.0"));
                s.setSoTimeout(5000);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Socket connect(String host, int port) {
        return connectFrom(client, host, port);
    }

    /** A connection from {@code ns} to {@code host:port}, made within 3 s. */
    static Socket connectFrom(NetNs ns, String host, int port) {
        return ThreadNetns.call(ns, () -> {
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(host, port), 3000);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static boolean tryConnect(String host, int port) {
        try (Socket s = connect(host, port)) {
            return s.isConnected();
        } catch (UncheckedIOException | IOException e) {
            return false;
        }
    }

    static byte[] readFully(InputStream in, int n) throws IOException {
        return in.readNBytes(n);
    }

    static byte[] mac(NetNs ns, String ifName) {
        return HexFormat.ofDelimiter(":")
                .parseHex(ns.exec("cat", "/sys/class/net/" + ifName + "/address")
                        .check()
                        .stdout()
                        .strip());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
