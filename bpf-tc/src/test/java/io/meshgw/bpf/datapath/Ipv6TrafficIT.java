package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Ipv6Address;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The IPv6 twin of {@link DatapathTrafficIT}'s inbound part: real packets through an IPv6 VIP, a legacy host and a pod
 * in their own network namespaces over veth pairs, the gateway between them. Neighbour discovery crosses the attached
 * programs on both links (it must, or nothing answers).
 *
 * <pre>
 *  legacy 2001:db8:2::5 --- 2001:db8:2::1 [lg0  gateway  cl0] fd00:1::1 --- fd00:1::10 pod
 *  VIP [2001:db8:100::10]:80 -> [fd00:1::10]:8080, :53/udp -> :5353
 * </pre>
 */
class Ipv6TrafficIT {

    static NetNs legacy;
    static NetNs gw;
    static NetNs pod;
    static Path logs;

    static InetAddress v6(String s) {
        return Ipv6Address.parse(s).toInetAddress();
    }

    static final String CLIENT_AS_SOCAT_WRITES_IT = "[2001:0db8:0002:0000:0000:0000:0000:0005]";

    static final TranslationTable TABLE = TranslationTable.EMPTY.withServices(List.of(
            new ServiceTranslation(
                    v6("2001:db8:100::10"),
                    80,
                    Protocol.TCP,
                    100,
                    List.of(new Backend(v6("fd00:1::10"), 8080, 1, true))),
            new ServiceTranslation(
                    v6("2001:db8:100::10"),
                    53,
                    Protocol.UDP,
                    100,
                    List.of(new Backend(v6("fd00:1::10"), 5353, 1, true)))));

    @BeforeAll
    static void topology() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        logs = Files.createTempDirectory("mgw-traffic6");
        legacy = NetNs.create("leg6");
        gw = NetNs.create("gw6");
        pod = NetNs.create("pod6");
        NetNs.link(legacy, "eth0", "2001:db8:2::5/64", gw, "lg0", "2001:db8:2::1/64");
        NetNs.link(gw, "cl0", "fd00:1::1/64", pod, "eth0", "fd00:1::10/64");
        legacy.exec("ip", "-6", "route", "add", "2001:db8:100::/64", "via", "2001:db8:2::1")
                .check();
        legacy.exec("ip", "-6", "route", "add", "fd00:1::/64", "via", "2001:db8:2::1")
                .check();
        pod.exec("ip", "-6", "route", "add", "default", "via", "fd00:1::1").check();
        gw.exec("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1").check();
        // As in the IPv4 test: with transmit offload off the gateway completes the checksums in software from what
        // the programs left in the field, and the receivers verify them, so a wrong rewrite is a dropped packet.
        for (String dev : List.of("lg0", "cl0")) {
            gw.exec("ethtool", "-K", dev, "tx", "off").check();
        }
        pod.spawn(
                List.of("socat", "TCP6-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo backend saw $SOCAT_PEERADDR"),
                logs.resolve("pod-tcp.log"));
        pod.spawn(
                List.of("socat", "UDP6-RECVFROM:5353,fork", "SYSTEM:echo udp backend saw $SOCAT_PEERADDR"),
                logs.resolve("pod-udp.log"));
        DatapathTrafficIT.awaitListening(pod, ":8080");
    }

    @AfterAll
    static void teardown() {
        Stream.of(legacy, gw, pod).filter(n -> n != null).forEach(NetNs::close);
    }

    static CommandResult tcp(String target) {
        return legacy.exec(Duration.ofSeconds(10), "socat", "-t", "3", "-", "TCP6:" + target + ",connect-timeout=3");
    }

    static String udp(String target) {
        String answer = "";
        for (int attempt = 0; attempt < 3 && answer.isEmpty(); attempt++) {
            answer = legacy.exec(Duration.ofSeconds(10), "sh", "-c", "echo ping | socat -t 2 - UDP6:" + target)
                    .stdout()
                    .strip();
        }
        return answer;
    }

    @ParameterizedTest
    @EnumSource(names = {"TCX", "TC"})
    void aLegacyIpv6HostReachesThePodThroughTheIpv6VipOverTcpAndUdp(Attachment.Mode mode) {
        assertThat(tcp("[fd00:1::10]:8080").stdout())
                .as("plain IPv6 routing to the pod works (the baseline)")
                .contains("backend saw");
        assertThat(tcp("[2001:db8:100::10]:80").ok())
                .as("no translation yet: nothing answers")
                .isFalse();
        try (Datapath dp = ThreadNetns.call(
                gw,
                () -> Datapath.open(DatapathOptions.detached().withMode(mode).withInterfaces("lg0", "cl0")))) {
            try {
                dp.apply(TABLE);
                CommandResult in = tcp("[2001:db8:100::10]:80");
                assertThat(in.stdout().strip())
                        .as("the backend sees the legacy client's own address (socat writes it in full); the client got"
                                + " the reply from the VIP")
                        .isEqualTo("backend saw " + CLIENT_AS_SOCAT_WRITES_IT);
                assertThat(udp("[2001:db8:100::10]:53")).isEqualTo("udp backend saw " + CLIENT_AS_SOCAT_WRITES_IT);

                Map<Counter, MapRecords.CounterValue> c = dp.counters();
                assertThat(c.get(Counter.DNAT_NEW).packets()).isGreaterThanOrEqualTo(2);
                assertThat(c.get(Counter.DNAT_ESTABLISHED).packets()).isPositive();
                assertThat(c.get(Counter.DNAT_REPLY).packets()).isPositive();
                assertThat(dp.conntrack(100))
                        .filteredOn(e -> e.destination().startsWith("[2001:db8:100::10]"))
                        .extracting(ConntrackEntry::kind)
                        .contains(ConntrackEntry.Kind.DNAT);
            } finally {
                ThreadNetns.run(gw, dp::detach);
            }
        }
        assertThat(tcp("[2001:db8:100::10]:80").ok())
                .as("detached: the VIP is gone again")
                .isFalse();
    }
}
