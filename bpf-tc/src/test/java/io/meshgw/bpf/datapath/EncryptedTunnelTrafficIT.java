package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.testkit.net.WireGuard;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tunnel between gateways over WireGuard (wireguard-go, a TUN device configured with {@code wg}, as an operator
 * would set it up): each gateway's tunnel endpoint is an address of its WireGuard device, the other's is routed into
 * it, and the datapath takes what the device delivers with {@code mgw_from_l3}. The link between the gateways carries
 * only WireGuard's UDP; the same bytes are in the clear on the devices themselves.
 *
 * <pre>
 *  client 192.0.2.5 --- [lg0  EAST  ul0] 100.65.0.1 ====== 100.65.0.2 [ul0  WEST  cl0] --- 10.2.0.10 backend
 *                        wg device 172.16.10.1/32            wg device 172.16.10.2/32   up0 -> west's default route
 * </pre>
 */
class EncryptedTunnelTrafficIT {

    static final String CLIENT = "192.0.2.5";
    static final String BACKEND = "10.2.0.10";
    static final String VIP = "198.51.100.10";
    static final String EAST_ENDPOINT = "172.16.10.1";
    static final String WEST_ENDPOINT = "172.16.10.2";
    /** Device names are per host for wireguard-go (its UAPI socket is /var/run/wireguard/NAME.sock). */
    static final String EAST_WG = "wge" + ProcessHandle.current().pid() % 1_000_000;

    static final String WEST_WG = "wgw" + ProcessHandle.current().pid() % 1_000_000;

    static NetNs client;
    static NetNs east;
    static NetNs west;
    static NetNs backend;
    static NetNs uplink;
    static Datapath eastDp;
    static Datapath westDp;

    @BeforeAll
    static void topology() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        assumeTrue(WireGuard.available(), "needs wireguard-go and wg (scripts/setup.sh installs them)");
        NetNs.removeStale();
        client = NetNs.create("wcli");
        east = NetNs.create("weast");
        west = NetNs.create("wwest");
        backend = NetNs.create("wbe");
        uplink = NetNs.create("wup");
        NetNs.link(client, "eth0", CLIENT + "/24", east, "lg0", "192.0.2.1/24");
        NetNs.link(east, "ul0", "100.65.0.1/30", west, "ul0", "100.65.0.2/30");
        NetNs.link(west, "cl0", "10.2.0.1/24", backend, "eth0", BACKEND + "/24");
        NetNs.link(west, "up0", "100.64.0.1/30", uplink, "eth0", "100.64.0.2/30");
        client.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1").check();
        backend.exec("ip", "route", "add", "default", "via", "10.2.0.1").check();
        // West sends everything but its pods out of its own uplink: only the tunnel brings replies back to east.
        west.exec("ip", "route", "add", "default", "via", "100.64.0.2").check();
        for (NetNs gw : List.of(east, west)) {
            for (String key : List.of(
                    "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")) {
                gw.exec("sysctl", "-qw", key).check();
            }
        }
        String eastKey = WireGuard.privateKey();
        String westKey = WireGuard.privateKey();
        WireGuard.device(
                east, EAST_WG, EAST_ENDPOINT, eastKey, WireGuard.publicKey(westKey), "100.65.0.2", WEST_ENDPOINT);
        WireGuard.device(
                west, WEST_WG, WEST_ENDPOINT, westKey, WireGuard.publicKey(eastKey), "100.65.0.1", EAST_ENDPOINT);

        eastDp = ThreadNetns.call(
                east,
                () -> Datapath.open(DatapathOptions.detached()
                        .withMode(Attachment.Mode.TCX)
                        .withInterfaces("lg0", "ul0")
                        .withTunnelDevice(EAST_WG)));
        westDp = ThreadNetns.call(
                west,
                () -> Datapath.open(DatapathOptions.detached()
                        .withMode(Attachment.Mode.TCX)
                        .withInterfaces("up0", "cl0", "ul0")
                        .withTunnelDevice(WEST_WG)));
        eastDp.apply(TranslationTable.EMPTY.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(VIP), 80, Protocol.TCP, 100, List.of(new Backend(Ipv4.parse(BACKEND), 8080, 2, false))))));
        westDp.apply(TranslationTable.EMPTY);
        eastDp.applyTunnels(
                new TunnelTable(Optional.of(Ipv4.parse(EAST_ENDPOINT)), Map.of(2, Ipv4.parse(WEST_ENDPOINT))));
        westDp.applyTunnels(
                new TunnelTable(Optional.of(Ipv4.parse(WEST_ENDPOINT)), Map.of(1, Ipv4.parse(EAST_ENDPOINT))));
    }

    @AfterAll
    static void teardown() {
        for (var pair : List.of(
                Map.entry(Optional.ofNullable(east), Optional.ofNullable(eastDp)),
                Map.entry(Optional.ofNullable(west), Optional.ofNullable(westDp)))) {
            if (pair.getKey().isPresent() && pair.getValue().isPresent()) {
                ThreadNetns.run(pair.getKey().get(), pair.getValue().get()::detach);
                pair.getValue().get().close();
            }
        }
        // Deleting the namespaces deletes the devices, and wireguard-go exits with its device.
        Stream.of(client, east, west, backend, uplink).filter(n -> n != null).forEach(NetNs::close);
        List.of(EAST_WG, WEST_WG).forEach(WireGuard::forget);
    }

    @Test
    void theFlowCrossesEncryptedAndNothingOfItIsInTheClearBetweenTheGateways() throws Exception {
        byte[] marker = "meshgw-plaintext-marker-0123456789".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> onLink;
        List<byte[]> onDevice;
        try (PacketSocket link = PacketSocket.open(west, "ul0");
                PacketSocket device = PacketSocket.open(west, WEST_WG)) {
            var linkFrames = CompletableFuture.supplyAsync(() -> link.received(Duration.ofSeconds(4)));
            var deviceFrames = CompletableFuture.supplyAsync(() -> device.received(Duration.ofSeconds(4)));
            Thread.sleep(300);
            try (ServerSocket listener = TunnelTrafficIT.listenIn(backend);
                    Socket c = TunnelTrafficIT.connectFrom(client, VIP, 80);
                    Socket server = listener.accept()) {
                server.setSoTimeout(3000);
                c.setSoTimeout(3000);
                assertThat(server.getInetAddress().getHostAddress())
                        .as("the backend sees the legacy client's own address")
                        .isEqualTo(CLIENT);
                c.getOutputStream().write(marker);
                assertThat(server.getInputStream().readNBytes(marker.length)).isEqualTo(marker);
                server.getOutputStream().write(marker);
                assertThat(c.getInputStream().readNBytes(marker.length))
                        .as("the reply came back through the tunnel to east, from the VIP")
                        .isEqualTo(marker);
                // Bulk both ways: segments at the WireGuard device's MTU, the SYN's MSS clamped to it.
                byte[] bulk = new byte[128 * 1024];
                Arrays.fill(bulk, (byte) 'y');
                server.getOutputStream().write(bulk);
                assertThat(c.getInputStream().readNBytes(bulk.length)).isEqualTo(bulk);
            }
            onLink = linkFrames.join();
            onDevice = deviceFrames.join();
        }
        assertThat(onDevice.stream().filter(f -> contains(f, marker)))
                .as("the capture works: on the WireGuard device, inside the tunnel, the payload is in the clear")
                .isNotEmpty();
        assertThat(onLink).as("the link between the gateways carried the flow").isNotEmpty();
        assertThat(onLink.stream().filter(f -> contains(f, marker)))
                .as("nothing of the payload is in the clear on the link between the gateways")
                .isEmpty();
        assertThat(onLink.stream().filter(f -> isIpv4(f) && !isWireGuardUdp(f)))
                .as("every IPv4 packet on the link is WireGuard's (UDP 51820): no IPIP, no TCP")
                .isEmpty();
        assertThat(eastDp.counters().get(Counter.TUNNEL_OUT).packets()).isPositive();
        assertThat(westDp.counters().get(Counter.TUNNEL_IN).packets()).isPositive();
        assertThat(westDp.counters().get(Counter.TUNNEL_OUT).packets()).isPositive();
        assertThat(eastDp.counters().get(Counter.TUNNEL_IN).packets())
                .as("east took the replies from its WireGuard device")
                .isPositive();
        assertThat(eastDp.counters().get(Counter.DNAT_REPLY).packets()).isPositive();
    }

    static boolean isIpv4(byte[] f) {
        return f.length >= 34 && f[12] == 0x08 && f[13] == 0x00;
    }

    static boolean isWireGuardUdp(byte[] f) {
        int ihl = (f[14] & 0x0f) * 4;
        if (f[23] != 17 || f.length < 14 + ihl + 4) {
            return false;
        }
        int sport = (f[14 + ihl] & 0xff) << 8 | (f[15 + ihl] & 0xff);
        int dport = (f[16 + ihl] & 0xff) << 8 | (f[17 + ihl] & 0xff);
        return sport == 51820 && dport == 51820;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
