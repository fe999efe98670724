package io.meshgw.bpf.datapath;

import static io.meshgw.bpf.datapath.Ipv6TrafficIT.v6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ICMPv6 errors about flows through an IPv6 VIP, with real packets: Path MTU discovery through the VIP (the gateway's
 * own link into the clusters is 1,280 bytes, its Packet Too Big quotes the translated packet) and a backend's port
 * unreachable reaching a connected UDP socket. Without their translation the client's kernel matches neither error to
 * its socket: the TCP transfer stalls and the UDP socket hears nothing.
 *
 * <pre>
 *  legacy 2001:db8:2::5 --- 2001:db8:2::1 [lg0  gateway  cl0 (mtu 1280)] fd00:1::1 --- fd00:1::10 pod (mtu 1500)
 *  VIP [2001:db8:100::10]:81 -> [fd00:1::10]:8081 (counts what it receives), :54/udp -> :5354 (nothing listens)
 * </pre>
 */
class Icmp6TrafficIT {

    static final String VIP = "2001:db8:100::10";
    static final int TRANSFER = 300_000;

    static NetNs legacy;
    static NetNs gw;
    static NetNs pod;

    static final TranslationTable TABLE = TranslationTable.EMPTY.withServices(List.of(
            new ServiceTranslation(
                    v6(VIP), 81, Protocol.TCP, 100, List.of(new Backend(v6("fd00:1::10"), 8081, 1, true))),
            new ServiceTranslation(
                    v6(VIP), 54, Protocol.UDP, 100, List.of(new Backend(v6("fd00:1::10"), 5354, 1, true)))));

    @BeforeAll
    static void topology() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-icmp6");
        legacy = NetNs.create("leg6i");
        gw = NetNs.create("gw6i");
        pod = NetNs.create("pod6i");
        NetNs.link(legacy, "eth0", "2001:db8:2::5/64", gw, "lg0", "2001:db8:2::1/64");
        NetNs.link(gw, "cl0", "fd00:1::1/64", pod, "eth0", "fd00:1::10/64");
        legacy.exec("ip", "-6", "route", "add", "2001:db8:100::/64", "via", "2001:db8:2::1")
                .check();
        pod.exec("ip", "-6", "route", "add", "default", "via", "fd00:1::1").check();
        gw.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").check();
        // The pod's side stays at 1,500 bytes, so its MSS invites full-sized segments that the gateway cannot forward.
        gw.exec("ip", "link", "set", "cl0", "mtu", "1280").check();
        pod.spawn(List.of("socat", "TCP6-LISTEN:8081,fork,reuseaddr", "SYSTEM:wc -c"), logs.resolve("pod-count.log"));
        DatapathTrafficIT.awaitListening(pod, ":8081");
    }

    @AfterAll
    static void teardown() {
        Stream.of(legacy, gw, pod).filter(n -> n != null).forEach(NetNs::close);
    }

    static CommandResult largeTransferToTheVip() {
        return legacy.exec(
                Duration.ofSeconds(20),
                "sh",
                "-c",
                "head -c " + TRANSFER + " /dev/zero | timeout 10 socat -t 8 - TCP6:[" + VIP + "]:81,connect-timeout=3");
    }

    /** What a connected UDP socket of the legacy host hears after sending to the VIP's port 54. */
    static void sendAndReceiveOnAConnectedSocket() throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(v6(VIP), 54));
            s.setSoTimeout(3000);
            byte[] ping = "ping".getBytes();
            s.send(new DatagramPacket(ping, ping.length));
            s.receive(new DatagramPacket(new byte[64], 64));
        }
    }

    static void connectedUdpToTheVip() {
        ThreadNetns.run(legacy, () -> {
            try {
                sendAndReceiveOnAConnectedSocket();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(names = {"TCX", "TC"})
    void aLargeTransferThroughTheVipLearnsThePathMtuAndAPortUnreachableReachesTheSocket(Attachment.Mode mode) {
        legacy.exec("ip", "-6", "route", "flush", "cache");
        try (Datapath dp = ThreadNetns.call(
                gw,
                () -> Datapath.open(DatapathOptions.detached().withMode(mode).withInterfaces("lg0", "cl0")))) {
            try {
                dp.apply(TABLE);
                assertThat(largeTransferToTheVip().stdout().strip())
                        .as("the backend received all of it: the client learned the 1,280-byte path to the VIP")
                        .isEqualTo(String.valueOf(TRANSFER));
                assertThat(legacy.exec("ip", "-6", "route", "get", VIP).stdout())
                        .as("the Packet Too Big was about the VIP")
                        .contains("mtu 1280");
                assertThatThrownBy(Icmp6TrafficIT::connectedUdpToTheVip)
                        .as("the backend's port unreachable, from the VIP about the VIP")
                        .hasRootCauseInstanceOf(PortUnreachableException.class);
                assertThat(dp.counters().get(Counter.ICMP_ERROR).packets()).isPositive();
            } finally {
                ThreadNetns.run(gw, dp::detach);
            }
        }
    }
}
