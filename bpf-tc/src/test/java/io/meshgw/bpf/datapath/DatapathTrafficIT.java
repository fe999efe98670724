package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.IncompatiblePinException;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real packets through the kernel: a legacy host, the gateway with the programs attached to its
 * two interfaces, and a pod, each in its own network namespace, talking over veth pairs.
 *
 * <pre>
 *  legacy 192.0.2.5 --- 192.0.2.1 [lg0  gateway  cl0] 10.1.0.1 --- 10.1.0.10 pod
 *  VIP 198.51.100.10:80 -> pod:8080      pod -> 192.0.2.5:9000 leaves as 203.0.113.7
 * </pre>
 */
class DatapathTrafficIT {

    static NetNs legacy;
    static NetNs gw;
    static NetNs pod;
    static Path logs;

    static final TranslationTable TABLE = TranslationTable.EMPTY
            .withServices(List.of(
                    new ServiceTranslation(
                            Ipv4.parse("198.51.100.10"),
                            80,
                            Protocol.TCP,
                            100,
                            List.of(new Backend(Ipv4.parse("10.1.0.10"), 8080, 1, true))),
                    new ServiceTranslation(
                            Ipv4.parse("198.51.100.10"),
                            53,
                            Protocol.UDP,
                            100,
                            List.of(new Backend(Ipv4.parse("10.1.0.10"), 5353, 1, true)))))
            .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
            .withEgress(List.of(
                    new EgressTranslation(7, Ipv4.parse("203.0.113.7"), List.of(Ipv4Prefix.parse("192.0.2.0/24")))));

    @BeforeAll
    static void topology() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        logs = Files.createTempDirectory("mgw-traffic");
        legacy = NetNs.create("leg");
        gw = NetNs.create("gw");
        pod = NetNs.create("pod");
        NetNs.link(legacy, "eth0", "192.0.2.5/24", gw, "lg0", "192.0.2.1/24");
        NetNs.link(gw, "cl0", "10.1.0.1/24", pod, "eth0", "10.1.0.10/24");
        legacy.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1").check();
        legacy.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.2.1").check();
        pod.exec("ip", "route", "add", "default", "via", "10.1.0.1").check();
        for (String key : List.of(
                "net.ipv4.ip_forward=1",
                "net.ipv4.conf.all.rp_filter=0",
                "net.ipv4.conf.lg0.rp_filter=0",
                "net.ipv4.conf.cl0.rp_filter=0")) {
            gw.exec("sysctl", "-qw", key).check();
        }
        // Senders' veths hand packets on with CHECKSUM_PARTIAL (only the pseudo-header sum in
        // the field), and a veth receiver trusts them unchecked. With transmit offload off, the
        // gateway completes the checksums in software from what the programs left in the field,
        // and the receivers verify them: a wrong rewrite becomes a dropped packet.
        for (String dev : List.of("lg0", "cl0")) {
            gw.exec("ethtool", "-K", dev, "tx", "off").check();
        }
        pod.spawn(
                List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo backend saw $SOCAT_PEERADDR"),
                logs.resolve("pod-tcp.log"));
        pod.spawn(
                List.of("socat", "UDP-RECVFROM:5353,fork", "SYSTEM:echo udp backend saw $SOCAT_PEERADDR"),
                logs.resolve("pod-udp.log"));
        legacy.spawn(
                List.of("socat", "TCP-LISTEN:9000,fork,reuseaddr", "SYSTEM:echo legacy saw $SOCAT_PEERADDR"),
                logs.resolve("legacy-tcp.log"));
        awaitListening(pod, ":8080");
        awaitListening(legacy, ":9000");
    }

    static void awaitListening(NetNs ns, String port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (ns.exec("ss", "-ltn").stdout().contains(port)) {
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("socat did not listen on " + port + " in " + ns.name());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterAll
    static void teardown() {
        Stream.of(legacy, gw, pod).filter(n -> n != null).forEach(NetNs::close);
    }

    static Datapath open(DatapathOptions options) {
        return ThreadNetns.call(gw, () -> Datapath.open(options.withInterfaces("lg0", "cl0")));
    }

    static CommandResult tcp(NetNs from, String target) {
        return from.exec(Duration.ofSeconds(10), "socat", "-t", "3", "-", "TCP:" + target + ",connect-timeout=3");
    }

    /** One datagram and its answer; like any UDP client, it asks again (3 tries) when nothing comes back. */
    static String udp(NetNs from, String target) {
        String answer = "";
        for (int attempt = 0; attempt < 3 && answer.isEmpty(); attempt++) {
            answer = from.exec(Duration.ofSeconds(10), "sh", "-c", "echo ping | socat -t 2 - UDP:" + target)
                    .stdout()
                    .strip();
        }
        return answer;
    }

    @ParameterizedTest
    @EnumSource(names = {"TCX", "TC"})
    void legacyHostReachesThePodThroughTheVipAndThePodLeavesWithItsEgressIp(Attachment.Mode mode) {
        assertThat(tcp(legacy, "198.51.100.10:80").ok())
                .as("no translation yet: nothing answers")
                .isFalse();
        try (Datapath dp = open(DatapathOptions.detached().withMode(mode))) {
            try {
                assertThat(dp.attachments())
                        .allMatch(a -> a.startsWith(mode == Attachment.Mode.TCX ? "tcx" : "tc clsact"));
                dp.apply(TABLE);

                CommandResult in = tcp(legacy, "198.51.100.10:80");
                assertThat(in.stdout().strip())
                        .as("the backend sees the legacy client's own address; the client got the reply from the VIP")
                        .isEqualTo("backend saw 192.0.2.5");
                assertThat(udp(legacy, "198.51.100.10:53")).isEqualTo("udp backend saw 192.0.2.5");

                CommandResult out = tcp(pod, "192.0.2.5:9000");
                assertThat(out.stdout().strip()).isEqualTo("legacy saw 203.0.113.7");

                Map<Counter, MapRecords.CounterValue> c = dp.counters();
                assertThat(c.get(Counter.DNAT_NEW).packets()).isGreaterThanOrEqualTo(2);
                assertThat(c.get(Counter.DNAT_REPLY).packets()).isPositive();
                assertThat(c.get(Counter.SNAT_NEW).packets()).isPositive();
                assertThat(c.get(Counter.SNAT_REPLY).packets()).isPositive();
                assertThat(dp.conntrack(100))
                        .extracting(ConntrackEntry::kind)
                        .contains(ConntrackEntry.Kind.DNAT, ConntrackEntry.Kind.SNAT);
            } finally {
                ThreadNetns.run(gw, dp::detach);
            }
        }
        assertThat(tcp(legacy, "198.51.100.10:80").ok())
                .as("detached: the VIP is gone again")
                .isFalse();
    }

    /**
     * Path MTU discovery through the VIP: the gateway's own link to the pod is too small for a
     * datagram the legacy host sends with DF set, so the gateway answers "fragmentation needed"
     * about the packet as it had become (to the pod). Translated on its way out, the error
     * teaches the legacy host's kernel the path MTU of the VIP, the address its socket uses.
     */
    @Test
    void fragmentationNeededAtTheGatewayTeachesTheLegacyHostThePathMtuOfTheVip() {
        try (Datapath dp = open(DatapathOptions.detached().withMode(Attachment.Mode.TCX))) {
            try {
                dp.apply(TABLE);
                gw.exec("ip", "link", "set", "cl0", "mtu", "1280").check();
                legacy.exec("ip", "route", "flush", "cache").check();
                // -t 3: the socket stays open while the error comes back; the kernel only
                // learns from an error that finds the socket it is about (udp_err).
                legacy.exec(
                        Duration.ofSeconds(10),
                        "sh",
                        "-c",
                        "head -c 1400 /dev/zero | socat -u -t 3 - UDP:198.51.100.10:53,mtudiscover=2");
                assertThat(legacy.exec("ip", "route", "get", "198.51.100.10").stdout())
                        .as("the error quoted the VIP, not the pod")
                        .contains("mtu 1280");
                assertThat(dp.counters().get(Counter.ICMP_ERROR).packets()).isPositive();
            } finally {
                gw.exec("ip", "link", "set", "cl0", "mtu", "1500");
                legacy.exec("ip", "route", "flush", "cache");
                ThreadNetns.run(gw, dp::detach);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"TCX", "TC"})
    void anotherToolsQdiscAndFilterSurviveAttachAndDetach(Attachment.Mode mode) throws Exception {
        Path other = Path.of(DatapathTrafficIT.class
                .getResource("/io/meshgw/bpf/progs/tc_other_tool.o")
                .toURI());
        try {
            gw.exec("tc", "qdisc", "add", "dev", "lg0", "clsact").check();
            gw.exec(
                            "tc",
                            "filter",
                            "add",
                            "dev",
                            "lg0",
                            "ingress",
                            "pref",
                            "1",
                            "bpf",
                            "da",
                            "obj",
                            other.toString(),
                            "sec",
                            "tc")
                    .check();
            long before;
            try (Datapath dp = open(DatapathOptions.detached().withMode(mode))) {
                dp.apply(TABLE);
                assertThat(tcp(legacy, "198.51.100.10:80").stdout()).contains("backend saw");
                before = otherToolCount();
                legacy.exec("ping", "-c", "2", "-i", "0.2", "-W", "1", "192.0.2.1")
                        .check();
                assertThat(otherToolCount())
                        .as("it keeps seeing traffic meshgw does not translate")
                        .isGreaterThan(before);
                ThreadNetns.run(gw, dp::detach);
            }
            String filters = gw.exec("tc", "filter", "show", "dev", "lg0", "ingress")
                    .check()
                    .stdout();
            assertThat(filters).as("the other tool's filter is still there").contains("other_tool");
            assertThat(filters).as("and meshgw's is gone").doesNotContain("mgw_from_legacy");
            assertThat(gw.exec("tc", "qdisc", "show", "dev", "lg0").stdout()).contains("clsact");
        } finally {
            gw.exec("tc", "qdisc", "del", "dev", "lg0", "clsact");
        }
    }

    static long otherToolCount() {
        String dump = io.meshgw.testkit.net.Command.run(List.of("bpftool", "-j", "map", "dump", "name", "other_seen"))
                .stdout();
        var m = java.util.regex.Pattern.compile("\"value\":\\s*(\\d+)").matcher(dump);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    @Test
    void pinnedMapsAndLinksKeepTranslatingWhileNoProcessHoldsThemAndAreReadopted() throws IOException {
        Path root = Path.of("/sys/fs/bpf")
                .resolve(NetNs.PREFIX + ProcessHandle.current().pid() + "-pins");
        try {
            try (Datapath first = open(
                    DatapathOptions.detached().withMode(Attachment.Mode.TCX).withPinRoot(root))) {
                first.apply(TABLE);
                assertThat(tcp(legacy, "198.51.100.10:80").stdout()).contains("backend saw");
            } // closed without detaching: the "gateway" is gone

            assertThat(tcp(legacy, "198.51.100.10:80").stdout().strip())
                    .as("no process holds the datapath, the pins keep it forwarding")
                    .isEqualTo("backend saw 192.0.2.5");

            try (Datapath second = open(
                    DatapathOptions.detached().withMode(Attachment.Mode.TCX).withPinRoot(root))) {
                assertThat(second.attachments()).allMatch(a -> a.contains("re-adopted"));
                assertThat(second.apply(TABLE).changed())
                        .as("the pinned maps already hold the table")
                        .isFalse();
                assertThat(tcp(legacy, "198.51.100.10:80").stdout()).contains("backend saw");
                ThreadNetns.run(gw, second::detach);
            }
            assertThat(tcp(legacy, "198.51.100.10:80").ok()).isFalse();

            Path svc = root.resolve(Datapath.LAYOUT).resolve("mgw_svc_" + Datapath.LAYOUT);
            assertThatThrownBy(() -> Datapath.open(DatapathOptions.detached()
                            .withPinRoot(root)
                            .withMaxEntries(Map.of("mgw_svc_" + Datapath.LAYOUT, 1024))))
                    .isInstanceOf(IncompatiblePinException.class)
                    .hasMessageContaining(svc.toString())
                    .hasMessageContaining("max_entries 65536")
                    .hasMessageContaining("left in place");
            assertThat(svc)
                    .as("an incompatible configuration pin is never wiped")
                    .exists();
        } finally {
            deleteTree(root);
        }
    }

    /**
     * An uninstall: the gateway that stops for good takes its programs off the interfaces and removes every pin of its
     * layout, so nothing of meshgw forwards, or holds kernel memory, once the process is gone. Another directory under
     * the same root (another tool's, or another layout's) is left alone.
     */
    @Test
    void anUninstallDetachesAndRemovesEveryPinOfItsLayoutButNothingElse() throws IOException {
        Path root = Path.of("/sys/fs/bpf")
                .resolve(NetNs.PREFIX + ProcessHandle.current().pid() + "-uninstall");
        Path neighbour = root.resolve("v0");
        try {
            Files.createDirectories(neighbour);
            try (Datapath dp = open(
                    DatapathOptions.detached().withMode(Attachment.Mode.TCX).withPinRoot(root))) {
                dp.apply(TABLE);
                assertThat(tcp(legacy, "198.51.100.10:80").stdout()).contains("backend saw");
                Path links = root.resolve(Datapath.LAYOUT).resolve("links");
                assertThat(links.resolve("lg0-mgw_from_legacy")).exists();
                List<Path> removed = ThreadNetns.call(gw, dp::detachAndUnpin);
                assertThat(removed)
                        .as("every map pin of the layout (the links' pins go as they are detached)")
                        .contains(
                                root.resolve(Datapath.LAYOUT).resolve("mgw_svc_" + Datapath.LAYOUT),
                                root.resolve(Datapath.LAYOUT).resolve("mgw_ct_" + Datapath.LAYOUT));
                assertThat(links).doesNotExist();
            }
            assertThat(tcp(legacy, "198.51.100.10:80").ok())
                    .as("nothing translates the VIP any more")
                    .isFalse();
            assertThat(gw.exec("bpftool", "net", "show").stdout()).doesNotContain("mgw_");
            assertThat(root.resolve(Datapath.LAYOUT)).doesNotExist();
            assertThat(neighbour).as("not meshgw's layout: untouched").exists();
        } finally {
            deleteTree(root);
        }
    }

    /**
     * A gateway restarted with other conntrack sizes (meshgw.datapath.conntrack-entries, conntrack6-entries) while its
     * pinned programs
     * forward: the pinned table cannot be reused, and failing would crash-loop the gateway while the old datapath
     * keeps forwarding with the old size. The table is replaced and the programs swapped to it.
     */
    @Test
    void aChangedConntrackSizeReplacesThePinnedTableInsteadOfCrashLooping() throws IOException {
        Path root = Path.of("/sys/fs/bpf")
                .resolve(NetNs.PREFIX + ProcessHandle.current().pid() + "-resize");
        try {
            try (Datapath first = open(
                    DatapathOptions.detached().withMode(Attachment.Mode.TCX).withPinRoot(root))) {
                first.apply(TABLE);
                assertThat(tcp(legacy, "198.51.100.10:80").stdout()).contains("backend saw");
            } // the gateway stops; its pins keep forwarding
            try (Datapath resized = open(DatapathOptions.detached()
                    .withMode(Attachment.Mode.TCX)
                    .withPinRoot(root)
                    .withMaxEntries(Map.of(Datapath.CONNTRACK_MAP, 4096, Ipv6Maps.CONNTRACK_MAP, 8192)))) {
                try {
                    assertThat(resized.maps().conntrack().maxEntries()).isEqualTo(4096);
                    assertThat(resized.maps6().conntrack().maxEntries())
                            .as("the IPv6 table too (meshgw.datapath.conntrack6-entries)")
                            .isEqualTo(8192);
                    assertThat(resized.attachments()).allMatch(a -> a.contains("re-adopted"));
                    assertThat(resized.apply(TABLE).changed())
                            .as("the configuration maps were kept")
                            .isFalse();
                    assertThat(tcp(legacy, "198.51.100.10:80").stdout().strip())
                            .as("translated with the new table")
                            .isEqualTo("backend saw 192.0.2.5");
                    assertThat(resized.conntrack(100)).isNotEmpty();
                } finally {
                    ThreadNetns.run(gw, resized::detach);
                }
            }
        } finally {
            deleteTree(root);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
