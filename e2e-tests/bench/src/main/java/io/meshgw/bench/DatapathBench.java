package io.meshgw.bench;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.BpfMap;
import io.meshgw.bpf.LoadedObject;
import io.meshgw.bpf.PinnedMap;
import io.meshgw.bpf.TestRun;
import io.meshgw.bpf.datapath.ApplyResult;
import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.Ipv4;
import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.MapCodecs;
import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.Ct6Key;
import io.meshgw.bpf.datapath.MapRecords.Ct6Value;
import io.meshgw.bpf.datapath.MapRecords.CtKey;
import io.meshgw.bpf.datapath.MapRecords.CtValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import io.meshgw.bpf.datapath.MapRecords.SvcValue;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.SyntheticPacket;
import io.meshgw.bpf.datapath.SyntheticPacket6;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.testkit.net.WireGuard;
import io.meshgw.types.Ipv6Address;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The datapath's figures, each beside its baseline in the same run: BPF_PROG_TEST_RUN ns/packet
 * of every translation path beside a no-op program; programming 65,536 service entries from
 * Java beside a C loop, C batch and bpftool batch; iperf3 through the translation beside plain
 * routing and an iptables DNAT of the same kind of VIP; {@code Datapath.apply} of one changed
 * service in a large table, incremental beside the whole image recomputed.
 *
 * <p>Usage: {@code DatapathBench [testrun,load,apply,maglev,iperf,encap,tunnel,wgtunnel,nodeencap,nodesteer] [entries=65536]
 * [iperf-seconds=5]}
 */
public final class DatapathBench {

    private static final int REPEAT = 1_000_000;
    private static final int ROUNDS = 9;

    private DatapathBench() {}

    public static void main(String[] args) throws Exception {
        List<String> parts = List.of((args.length > 0 ? args[0] : "testrun,load,apply,maglev,iperf").split(","));
        int entries = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        System.out.printf(
                "datapath benchmark on %s, kernel %s, %d CPUs%n",
                System.getProperty("os.arch"),
                System.getProperty("os.version"),
                Runtime.getRuntime().availableProcessors());
        if (parts.contains("testrun")) {
            testRun();
        }
        if (parts.contains("load")) {
            load(entries);
        }
        if (parts.contains("apply")) {
            applyOneChange(entries);
        }
        if (parts.contains("maglev")) {
            maglev();
        }
        if (parts.contains("iperf")) {
            iperf(seconds);
        }
        if (parts.contains("encap")) {
            encap();
        }
        if (parts.contains("tunnel")) {
            tunnel(seconds);
        }
        if (parts.contains("wgtunnel")) {
            wireGuardTunnel(seconds);
        }
        if (parts.contains("nodeencap")) {
            nodeEncap();
        }
        if (parts.contains("nodesteer")) {
            nodeSteer(seconds);
        }
        if (parts.contains("nodereturn")) {
            nodeReturn(seconds);
        }
        if (parts.contains("noderelay")) {
            nodeRelay(seconds);
        }
    }

    // ---- Maglev tables ---------------------------------------------------------------------

    /**
     * What consistent hashing costs and buys: applying one service whose backends changed, with n backends (a table of
     * 1021 entries) beside one backend (no table); the kernel memory of the tables; and the flows of surviving
     * backends that a gateway without conntrack sends elsewhere when one backend is gone, measured through the
     * programs beside modulo hashing over the remaining slots (the selection before Maglev).
     */
    static void maglev() {
        int rounds = 21;
        System.out.printf("%n== Maglev tables, median of %d ==%n", rounds);
        try (Datapath dp = Datapath.open(DatapathOptions.detached())) {
            for (int n : new int[] {1, 2, 10, 100, 1000}) {
                long[] t = new long[rounds];
                for (int r = 0; r < 10 + rounds; r++) {
                    List<Backend> backends = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        backends.add(new Backend(Ipv4.toAddress(0x0A400000 + 4096 * (r % 2) + i), 8080, 1, true));
                    }
                    TranslationTable table = TranslationTable.EMPTY.withServices(List.of(
                            new ServiceTranslation(Ipv4.toAddress(0xC6120001), 80, Protocol.TCP, 100, backends)));
                    long start = System.nanoTime();
                    dp.apply(table);
                    if (r >= 10) {
                        t[r - 10] = System.nanoTime() - start;
                    }
                }
                System.out.printf(
                        "  apply one service, all %4d backends new  %8.3f ms%s%n",
                        n, median(t) / 1e6, n == 1 ? "  (no table: the baseline)" : "");
            }
            int services = 10_000;
            List<ServiceTranslation> many = new ArrayList<>(services);
            for (int i = 0; i < services; i++) {
                many.add(new ServiceTranslation(
                        Ipv4.toAddress(0xC6120000 + i),
                        80,
                        Protocol.TCP,
                        100,
                        List.of(
                                new Backend(Ipv4.toAddress(0x0A400000 + 2 * i), 8080, 1, true),
                                new Backend(Ipv4.toAddress(0x0A400001 + 2 * i), 8080, 1, true))));
            }
            long start = System.nanoTime();
            dp.apply(TranslationTable.EMPTY.withServices(many));
            long applied = System.nanoTime() - start;
            System.out.printf(
                    "  %,d services of 2 backends from empty   %8.1f ms; tables %.1f MiB of kernel memory,"
                            + " slots %.1f MiB (preallocated)%n",
                    services,
                    applied / 1e6,
                    memlock(dp, "mgw_maglev_v1", MapCodecs.U32_VALUE, MapCodecs.MAGLEV) / 1048576.0,
                    memlock(dp, "mgw_slot_v1", MapCodecs.SLOT_KEY, MapCodecs.U32_VALUE) / 1048576.0);
            dp.apply(TranslationTable.EMPTY);
            for (int n : new int[] {4, 10, 32}) {
                moved(n);
            }
        }
    }

    private static long memlock(Datapath dp, String map, io.meshgw.bpf.Codec<?> keys, io.meshgw.bpf.Codec<?> values) {
        int fd = dp.object().map(map, keys, values).fd();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
                if (line.startsWith("memlock:")) {
                    return Long.parseLong(line.substring("memlock:".length()).trim());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new IllegalStateException("no memlock line in the fdinfo of " + map);
    }

    /** Flows of surviving backends that change backend on a gateway that never saw them, when one of n is gone. */
    private static void moved(int n) {
        int flows = 20_000;
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(new Backend(Ipv4.toAddress(0x0A010000 + 10 + i), 8080, 1, true));
        }
        try (Datapath before = Datapath.open(DatapathOptions.detached());
                Datapath after = Datapath.open(DatapathOptions.detached())) {
            before.apply(serving(all));
            List<Backend> rest = new ArrayList<>(all);
            rest.remove(n / 2);
            after.apply(serving(rest));
            String gone = all.get(n / 2).address().getHostAddress() + ":8080";
            int kept = 0;
            int moved = 0;
            java.util.Random random = new java.util.Random(n);
            int keptModulo = 0;
            int movedModulo = 0;
            for (int i = 0; i < flows; i++) {
                SyntheticPacket p = SyntheticPacket.tcp(
                        "192.0." + (2 + i / 40_000) + "." + (1 + (i / 200) % 200),
                        10_000 + i % 50_000,
                        "198.18.0.1",
                        80);
                String was = dst(before, p);
                if (!was.equals(gone)) {
                    kept++;
                    moved += dst(after, p.withTcpFlags(SyntheticPacket.ACK)).equals(was) ? 0 : 1;
                }
                // Modulo over the sorted slots: the flow's hash picks slot h % n, then h % (n - 1).
                int h = random.nextInt() & Integer.MAX_VALUE;
                if (h % n != n / 2) {
                    keptModulo++;
                    int wasSlot = h % n;
                    int nowSlot = h % (n - 1);
                    movedModulo += (nowSlot >= n / 2 ? nowSlot + 1 : nowSlot) == wasSlot ? 0 : 1;
                }
            }
            System.out.printf(
                    "  one of %2d backends gone: flows of the others moved  Maglev %5.2f %%   modulo %5.2f %%"
                            + "  (%,d flows)%n",
                    n, 100.0 * moved / kept, 100.0 * movedModulo / keptModulo, flows);
        }
    }

    private static TranslationTable serving(List<Backend> backends) {
        return TranslationTable.EMPTY.withServices(
                List.of(new ServiceTranslation(Ipv4.toAddress(0xC6120001), 80, Protocol.TCP, 100, backends)));
    }

    private static String dst(Datapath dp, SyntheticPacket p) {
        TestRun.Result r = dp.object().testRun(Datapath.FROM_LEGACY, p.frame(), 1);
        return SyntheticPacket.parse(r.packetOut()).dst();
    }

    // ---- BPF_PROG_TEST_RUN ----------------------------------------------------------------

    /** A packet of an established connection (ACK): the cached path, as most packets take. */
    static byte[] tcp(String src, int sport, String dst, int dport) {
        return SyntheticPacket.tcp(src, sport, dst, dport)
                .withTcpFlags(SyntheticPacket.ACK)
                .frame();
    }

    static long median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static int ip(String s) {
        return SyntheticPacket.ip(s);
    }

    /** One path: where the packet goes in, and the counter that proves which branch ran (in dp's counters). */
    record RunPath(
            String name,
            LoadedObject object,
            String program,
            byte[] frame,
            Datapath dp,
            Counter counter,
            boolean ipv6) {
        RunPath(String name, LoadedObject object, String program, byte[] frame, Datapath dp, Counter counter) {
            this(name, object, program, frame, dp, counter, false);
        }
    }

    static final String VIP6 = "2001:db8:100::10";

    static final String CLIENT6 = "2001:db8:2::5";

    static java.net.InetAddress v6(String s) {
        return Ipv6Address.parse(s).toInetAddress();
    }

    /** The table every test-run object is given: one IPv4 and one IPv6 service, one SNATed identity. */
    static TranslationTable testRunTable() {
        return TranslationTable.EMPTY
                .withServices(List.of(
                        new ServiceTranslation(
                                Ipv4.parse("198.51.100.10"),
                                80,
                                Protocol.TCP,
                                100,
                                List.of(
                                        new Backend(Ipv4.parse("10.1.0.10"), 8080, 1, true),
                                        new Backend(Ipv4.parse("10.1.0.11"), 8080, 1, true),
                                        new Backend(Ipv4.parse("10.2.0.10"), 8080, 2, false))),
                        new ServiceTranslation(
                                v6(VIP6),
                                80,
                                Protocol.TCP,
                                100,
                                List.of(
                                        new Backend(v6("fd00:1::10"), 8080, 1, true),
                                        new Backend(v6("fd00:1::11"), 8080, 1, true),
                                        new Backend(v6("fd00:2::10"), 8080, 2, false)))))
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), List.of(Ipv4Prefix.parse("192.0.2.0/24")))));
    }

    /**
     * BPF_PROG_TEST_RUN repeats a program on the same skb, so after the first repetition a
     * translation path sees its own output. Each translated path therefore gets a mirror
     * conntrack entry that translates the output back: the packet alternates between the two
     * tuples and every repetition takes the path named (the counter checks it). The mirror of a
     * DNAT needs a backend at the VIP itself, at a backend id the table does not use.
     */
    static void testRun() throws IOException {
        System.out.printf("%n== BPF_PROG_TEST_RUN, %d rounds x %,d repetitions ==%n", ROUNDS, REPEAT);
        // An earlier build of the programs (scripts/bench-datapath.sh builds it from BASELINE=<revision>), run beside
        // this one in the same rounds, so both see the same load.
        String baseline = System.getProperty("meshgw.bench.baseline-object", "");
        String baselineLabel = System.getProperty("meshgw.bench.baseline-label", "baseline");
        try (LoadedObject noop = LoadedObject.loadBundled("tc_noop");
                Datapath dp = Datapath.open(DatapathOptions.detached());
                Datapath before = baseline.isEmpty()
                        ? null
                        : Datapath.open(
                                DatapathOptions.detached(), Datapath.OBJECT, Files.readAllBytes(Path.of(baseline)))) {
            byte[] toVip = tcp("192.0.2.5", 40000, "198.51.100.10", 80);
            List<RunPath> paths = new ArrayList<>();
            paths.add(new RunPath("no-op program (floor)", noop, "tc_noop", toVip, null, null));
            if (before != null) {
                paths.addAll(translationPaths(before, baselineLabel + ": "));
            }
            paths.addAll(translationPaths(dp, before == null ? "" : "this build: "));
            long[][] ns = new long[paths.size()][ROUNDS];
            long[] taken = new long[paths.size()];
            for (int r = 0; r < ROUNDS; r++) { // rounds interleave the paths, so load hits them alike
                for (int i = 0; i < paths.size(); i++) {
                    RunPath p = paths.get(i);
                    long count = p.counter() == null
                            ? 0
                            : p.dp().counters().get(p.counter()).packets();
                    TestRun.Result res = p.object().testRun(p.program(), p.frame(), REPEAT);
                    ns[i][r] = res.nanosPerRun();
                    if (p.counter() != null) {
                        taken[i] += p.dp().counters().get(p.counter()).packets() - count;
                        boolean valid = p.ipv6()
                                ? SyntheticPacket6.checksumValid(res.packetOut())
                                : SyntheticPacket.checksumsValid(res.packetOut());
                        if (p.counter() != Counter.PASS && !valid) {
                            throw new IllegalStateException(p.name() + ": checksums went wrong");
                        }
                    }
                }
            }
            long floor = median(ns[0]);
            Map<String, Long> medians = new LinkedHashMap<>();
            for (int i = 0; i < paths.size(); i++) {
                long[] sorted = ns[i].clone();
                Arrays.sort(sorted);
                long med = median(ns[i]);
                medians.put(paths.get(i).name(), med);
                String share = paths.get(i).counter() == null
                        ? ""
                        : String.format("  path taken %.4f", taken[i] / ((double) REPEAT * ROUNDS));
                System.out.printf(
                        "  %-56s %5d ns/packet  %5.2fx floor  (rounds %d..%d)%s%n",
                        paths.get(i).name(),
                        med,
                        (double) med / Math.max(1, floor),
                        sorted[0],
                        sorted[sorted.length - 1],
                        share);
            }
            String self = before == null ? "" : "this build: ";
            System.out.printf(
                    "  IPv6 DNAT hit / IPv4 DNAT hit: %.2fx; IPv6 reverse DNAT / IPv4 reverse DNAT: %.2fx%n",
                    (double) medians.get(self + IPV6_DNAT_HIT) / Math.max(1, medians.get(self + DNAT_HIT)),
                    (double) medians.get(self + IPV6_REVERSE_DNAT) / Math.max(1, medians.get(self + REVERSE_DNAT)));

            // A new flow cannot repeat (the first run creates its conntrack entry): single runs
            // over distinct source ports, averaged, beside the floor measured the same way. Single
            // runs pay the syscall's cold caches too; only the difference means much. With a
            // baseline, each flow's packet goes to both builds in turn.
            int flows = 20_000;
            long newFlow = 0;
            long newFlowBefore = 0;
            long noopSingle = 0;
            for (int i = 0; i < flows; i++) {
                byte[] f = SyntheticPacket.tcp("192.0.2.6", 1024 + i, "198.51.100.10", 80)
                        .frame();
                if (before != null) {
                    newFlowBefore +=
                            before.object().testRun(Datapath.FROM_LEGACY, f, 1).nanosPerRun();
                }
                newFlow += dp.object().testRun(Datapath.FROM_LEGACY, f, 1).nanosPerRun();
                noopSingle += noop.testRun("tc_noop", f, 1).nanosPerRun();
            }
            if (before != null) {
                System.out.printf(
                        "  %-56s %5d ns/packet%n",
                        baselineLabel + ": legacy -> VIP, new flow (DNAT + 2 CT inserts)", newFlowBefore / flows);
            }
            System.out.printf(
                    "  %-56s %5d ns/packet  (no-op single runs: %d ns)%n",
                    self + "legacy -> VIP, new flow (DNAT + 2 CT inserts)", newFlow / flows, noopSingle / flows);
        }
    }

    static final String DNAT_HIT = "legacy -> VIP, established (DNAT hit)";
    static final String REVERSE_DNAT = "backend reply -> client (reverse DNAT)";
    static final String IPV6_DNAT_HIT = "IPv6 legacy -> VIP, established (DNAT hit)";
    static final String IPV6_REVERSE_DNAT = "IPv6 backend reply -> client (reverse DNAT)";

    /** Sets addr's bit in mgw_dst_v1 (dst_filter_bit() in mgw_tc.c), when the object has that map. */
    static void markDestination(LoadedObject obj, int addr) {
        String map = "mgw_dst_" + Datapath.LAYOUT;
        if (!obj.hasMap(map)) {
            return;
        }
        BpfMap<Integer, Long> words = obj.map(map, MapCodecs.U32_VALUE, MapCodecs.U64_VALUE);
        int bit = (addr * 0x9e3779b1) >>> 12;
        words.put(bit >>> 6, words.get(bit >>> 6).orElse(0L) | 1L << (bit & 63));
    }

    /** Applies the test-run table to dp, writes the mirror entries, and returns its paths, each name after prefix. */
    static List<RunPath> translationPaths(Datapath dp, String prefix) {
        dp.apply(testRunTable());
        LoadedObject obj = dp.object();
        BpfMap<CtKey, CtValue> ct = obj.map("mgw_ct_" + Datapath.LAYOUT, MapCodecs.CT_KEY, MapCodecs.CT_VALUE);
        BpfMap<Integer, BackendValue> be = obj.map("mgw_be_" + Datapath.LAYOUT, MapCodecs.U32_VALUE, MapCodecs.BACKEND);
        int vip = ip("198.51.100.10");
        int client = ip("192.0.2.5");
        byte[] toVip = tcp("192.0.2.5", 40000, "198.51.100.10", 80);
        SyntheticPacket dnat = SyntheticPacket.parse(
                obj.testRun(Datapath.FROM_LEGACY, toVip, 1).packetOut());
        int mirrorBackend = be.maxEntries() - 1;
        // The mirrors are seen now (CLOCK_MONOTONIC, the programs' clock): an entry last seen at 0 is expired on
        // a host up for longer than the TCP timeout (6 h), and every repetition after the first then missed.
        long now = System.nanoTime();
        be.put(mirrorBackend, new BackendValue(vip, 80, 0));
        ct.put(
                new CtKey(client, dnat.daddr(), 40000, dnat.dport(), 6, 1),
                new CtValue(vip, 80, 1, mirrorBackend, 0, 0, now, now, 0, 0));
        ct.put(
                new CtKey(vip, client, 80, 40000, 6, 2),
                new CtValue(dnat.daddr(), dnat.dport(), 2, 0, 0, 0, now, now, 0, 0));
        byte[] reply = tcp(Ipv4.format(dnat.daddr()), dnat.dport(), "192.0.2.5", 40000);

        byte[] fromPod = tcp("10.1.0.20", 5555, "192.0.2.5", 443);
        SyntheticPacket snat = SyntheticPacket.parse(obj.testRun(
                        Datapath.FROM_CLUSTER,
                        SyntheticPacket.tcp("10.1.0.20", 5555, "192.0.2.5", 443).frame(),
                        1)
                .packetOut());
        int pod = ip("10.1.0.20");
        // egress flows' entries live in their own table, both of a flow together
        BpfMap<CtKey, CtValue> egressCt = obj.map(Datapath.EGRESS_CONNTRACK_MAP, MapCodecs.CT_KEY, MapCodecs.CT_VALUE);
        egressCt.put(
                new CtKey(snat.saddr(), client, snat.sport(), 443, 6, 2),
                new CtValue(pod, 5555, 3, 0, 0, 7, now, now, 0, 0));
        egressCt.put(
                new CtKey(client, pod, 443, 5555, 6, 1),
                new CtValue(snat.saddr(), snat.sport(), 4, 0, 0, 7, now, now, 0, 0));
        // This mirror is looked up from the legacy side toward the pod: its destination must be marked as one of ours,
        // as the programs and the gateway do for every entry they write (mgw_dst_v1; builds from before it have none).
        markDestination(obj, pod);
        byte[] snatReply = tcp("192.0.2.5", 443, Ipv4.format(snat.saddr()), snat.sport());
        byte[] miss = tcp("192.0.2.5", 40000, "198.51.100.99", 80);

        // The IPv6 twins of the DNAT hit and its reply, mirrored the same way in mgw_ct6_v1.
        byte[] toVip6 = SyntheticPacket6.tcp(CLIENT6, 40000, VIP6, 80)
                .withTcpFlags(SyntheticPacket.ACK)
                .frame();
        SyntheticPacket6 dnat6 = SyntheticPacket6.parse(
                obj.testRun(Datapath.FROM_LEGACY, toVip6, 1).packetOut());
        BpfMap<Ct6Key, Ct6Value> ct6 = obj.map("mgw_ct6_" + Datapath.LAYOUT, MapCodecs.CT6_KEY, MapCodecs.CT6_VALUE);
        BpfMap<Integer, Backend6Value> be6 =
                obj.map("mgw_be6_" + Datapath.LAYOUT, MapCodecs.U32_VALUE, MapCodecs.BACKEND6);
        Ipv6Address vip6 = Ipv6Address.parse(VIP6);
        Ipv6Address client6 = Ipv6Address.parse(CLIENT6);
        be6.put(mirrorBackend - 1, new Backend6Value(vip6, 80, 0));
        ct6.put(
                new Ct6Key(client6, dnat6.daddr(), 40000, dnat6.dport(), 6, 1),
                new Ct6Value(new CtValue(0, 80, 1, mirrorBackend - 1, 0, 0, now, now, 0, 0), vip6));
        ct6.put(
                new Ct6Key(vip6, client6, 80, 40000, 6, 2),
                new Ct6Value(new CtValue(0, dnat6.dport(), 2, 0, 0, 0, now, now, 0, 0), dnat6.daddr()));
        byte[] reply6 = SyntheticPacket6.tcp(dnat6.daddr().toString(), dnat6.dport(), CLIENT6, 40000)
                .withTcpFlags(SyntheticPacket.ACK)
                .frame();
        return List.of(
                new RunPath(prefix + DNAT_HIT, obj, Datapath.FROM_LEGACY, toVip, dp, Counter.DNAT_ESTABLISHED),
                new RunPath(prefix + REVERSE_DNAT, obj, Datapath.FROM_CLUSTER, reply, dp, Counter.DNAT_REPLY),
                new RunPath(
                        prefix + "pod -> legacy, established (SNAT hit)",
                        obj,
                        Datapath.FROM_CLUSTER,
                        fromPod,
                        dp,
                        Counter.SNAT_ESTABLISHED),
                new RunPath(
                        prefix + "legacy reply -> pod (reverse SNAT)",
                        obj,
                        Datapath.FROM_LEGACY,
                        snatReply,
                        dp,
                        Counter.SNAT_REPLY),
                new RunPath(prefix + "not ours (miss, handed on)", obj, Datapath.FROM_LEGACY, miss, dp, Counter.PASS),
                new RunPath(
                        prefix + IPV6_DNAT_HIT, obj, Datapath.FROM_LEGACY, toVip6, dp, Counter.DNAT_ESTABLISHED, true),
                new RunPath(
                        prefix + IPV6_REVERSE_DNAT, obj, Datapath.FROM_CLUSTER, reply6, dp, Counter.DNAT_REPLY, true));
    }

    // ---- programming the maps -------------------------------------------------------------

    static void load(int entries) throws Exception {
        System.out.printf("%n== programming %,d service entries (mgw_svc_v1), median of 5 ==%n", entries);
        Path root = Path.of("/sys/fs/bpf", "mgwbench-" + ProcessHandle.current().pid());
        Path loader = buildCLoader();
        try (Datapath dp = Datapath.open(DatapathOptions.detached().withPinRoot(root))) {
            Path pin = root.resolve(Datapath.LAYOUT).resolve("mgw_svc_" + Datapath.LAYOUT);
            try (PinnedMap pinned = PinnedMap.open(pin)) {
                BpfMap<SvcKey, SvcValue> svc = pinned.typed(MapCodecs.SVC_KEY, MapCodecs.SVC_VALUE);
                Map<SvcKey, SvcValue> batch = new LinkedHashMap<>();
                for (int i = 0; i < entries; i++) {
                    batch.put(new SvcKey(0xC6120000 + i, 80, 6), new SvcValue(i + 1, 1, 1, 100, 0));
                }
                for (int warm = 0; warm < 5; warm++) { // let the JIT compile the codecs first
                    svc.putAll(batch);
                    svc.deleteAll(batch.keySet());
                    batch.forEach(svc::put);
                    svc.deleteAll(batch.keySet());
                }
                long[] javaBatch = new long[5];
                long[] javaLoop = new long[5];
                long[] cLoop = new long[5];
                long[] cBatch = new long[5];
                for (int r = 0; r < 5; r++) {
                    long t = System.nanoTime();
                    svc.putAll(batch);
                    javaBatch[r] = System.nanoTime() - t;
                    svc.deleteAll(batch.keySet());
                    t = System.nanoTime();
                    batch.forEach(svc::put);
                    javaLoop[r] = System.nanoTime() - t;
                    svc.deleteAll(batch.keySet());
                    CommandResult c = Command.run(List.of(loader.toString(), pin.toString(), String.valueOf(entries)))
                            .check();
                    cLoop[r] = field(c.stdout(), "c_loop_ns");
                    cBatch[r] = field(c.stdout(), "c_batch_ns");
                }
                long bpftool = bpftoolBatch(pin, entries);
                svc.clear();
                report("Java BpfMap.putAll (batch)", median(javaBatch), entries, median(cBatch));
                report("Java BpfMap.put loop", median(javaLoop), entries, median(cLoop));
                report("C bpf_map_update_batch", median(cBatch), entries, median(cBatch));
                report("C bpf_map_update_elem loop", median(cLoop), entries, median(cLoop));
                report("bpftool batch file (one process)", bpftool, entries, median(cLoop));
            }

            List<ServiceTranslation> services = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                services.add(new ServiceTranslation(
                        Ipv4.toAddress(0xC6120000 + i),
                        80,
                        Protocol.TCP,
                        100,
                        List.of(new Backend(Ipv4.toAddress(0x0A400000 + i), 8080, 1, true))));
            }
            TranslationTable full = TranslationTable.EMPTY.withServices(services);
            for (int warm = 0; warm < 3; warm++) {
                dp.apply(full);
                dp.apply(TranslationTable.EMPTY);
            }
            ApplyResult cold = dp.apply(full);
            List<ServiceTranslation> changed = new ArrayList<>(services);
            changed.set(
                    0,
                    new ServiceTranslation(
                            Ipv4.toAddress(0xC6120000),
                            80,
                            Protocol.TCP,
                            100,
                            List.of(new Backend(Ipv4.parse("10.99.0.1"), 8080, 1, true))));
            ApplyResult one = dp.apply(TranslationTable.EMPTY.withServices(changed));
            ApplyResult empty = dp.apply(TranslationTable.EMPTY);
            applied("Datapath.apply, " + entries + " VIPs from empty", cold);
            applied("Datapath.apply, one backend changed", one);
            applied("Datapath.apply, all removed", empty);
        } finally {
            Command.run(List.of("rm", "-rf", root.toString()));
        }
    }

    /**
     * One service's backend changed in a table of {@code entries} VIPs: {@code Datapath.apply}
     * (incremental) beside {@code applyRecomputed} (the whole image, as every apply did before),
     * alternating, each applying a table that differs from the maps in one service.
     */
    static void applyOneChange(int entries) {
        int rounds = 9;
        System.out.printf("%n== Datapath.apply of one changed service in %,d VIPs, median of %d ==%n", entries, rounds);
        List<ServiceTranslation> services = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            services.add(vipService(i, 0x0A400000 + i));
        }
        // Tables are built before the clock starts (building one is the gateway's part, not
        // apply's), each from new objects, as the gateway builds its table for every flush.
        TranslationTable base = TranslationTable.EMPTY.withServices(services);
        int warm = 10;
        try (Datapath dp = Datapath.open(DatapathOptions.detached())) {
            dp.apply(base);
            long[] full = new long[rounds];
            long[] fullCompute = new long[rounds];
            long[] incremental = new long[rounds];
            long[] incrementalCompute = new long[rounds];
            int writes = 0;
            // Each timed apply finds the maps holding the base table and changes one service.
            for (int r = 0; r < warm + rounds; r++) {
                TranslationTable a = oneChanged(entries, (2 * r * 7919) % entries, 0x0A500000 + 2 * r);
                long t = System.nanoTime();
                ApplyResult recomputed = dp.applyRecomputed(a);
                long fullNanos = System.nanoTime() - t;
                dp.apply(base);
                TranslationTable b = oneChanged(entries, ((2 * r + 1) * 7919) % entries, 0x0A500001 + 2 * r);
                t = System.nanoTime();
                ApplyResult one = dp.apply(b);
                long incrementalNanos = System.nanoTime() - t;
                dp.apply(base);
                if (r >= warm) {
                    full[r - warm] = fullNanos;
                    fullCompute[r - warm] = recomputed.computeNanos();
                    incremental[r - warm] = incrementalNanos;
                    incrementalCompute[r - warm] = one.computeNanos();
                    writes = Math.max(writes, one.upserts() + one.removals());
                }
            }
            System.out.printf(
                    "  %-34s %8.2f ms  (compute %7.2f ms)%n",
                    "whole image recomputed (baseline)", median(full) / 1e6, median(fullCompute) / 1e6);
            System.out.printf(
                    "  %-34s %8.2f ms  (compute %7.2f ms)  %.0fx faster, %d writes%n",
                    "incremental",
                    median(incremental) / 1e6,
                    median(incrementalCompute) / 1e6,
                    (double) median(full) / median(incremental),
                    writes);
        }
    }

    /** A new table of {@code entries} new services, service {@code k} with another backend. */
    private static TranslationTable oneChanged(int entries, int k, int backend) {
        List<ServiceTranslation> services = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            services.add(vipService(i, i == k ? backend : 0x0A400000 + i));
        }
        return TranslationTable.EMPTY.withServices(services);
    }

    private static ServiceTranslation vipService(int i, int backend) {
        return new ServiceTranslation(
                Ipv4.toAddress(0xC6120000 + i),
                80,
                Protocol.TCP,
                100,
                List.of(new Backend(Ipv4.toAddress(backend), 8080, 1, true)));
    }

    static void applied(String what, ApplyResult r) {
        System.out.printf(
                "  %-40s %,7d writes  compute %6.1f ms  write %6.1f ms%n",
                what, r.upserts() + r.removals(), r.computeNanos() / 1e6, r.writeNanos() / 1e6);
    }

    static void report(String what, long nanos, int entries, long baseline) {
        System.out.printf(
                "  %-36s %7.1f ms  %5.2f us/entry  %5.2fx its C baseline%n",
                what, nanos / 1e6, nanos / 1e3 / entries, (double) nanos / baseline);
    }

    static long field(String out, String name) {
        Matcher m = Pattern.compile(name + "=(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("the C loader printed no " + name + ": " + out);
        }
        return Long.parseLong(m.group(1));
    }

    static Path buildCLoader() throws IOException {
        Path dir = Files.createTempDirectory("mgw-bench");
        Path src = dir.resolve("map_load.c");
        try (InputStream in = DatapathBench.class.getResourceAsStream("map_load.c")) {
            Files.copy(in, src);
        }
        Path bin = dir.resolve("map_load");
        Command.run(List.of("gcc", "-O2", "-o", bin.toString(), src.toString(), "-lbpf"))
                .check();
        return bin;
    }

    /** bpftool's batch mode: every update in one bpftool process, parsed from a file. */
    static long bpftoolBatch(Path pin, int entries) throws IOException {
        Path file = Files.createTempFile("mgw-bpftool", ".batch");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < entries; i++) {
            int vip = 0xC6120000 + i;
            int id = i + 1;
            sb.append("map update pinned ")
                    .append(pin)
                    .append(" key ")
                    .append(hex(vip >>> 24, vip >>> 16, vip >>> 8, vip, 0, 80, 6, 0))
                    .append(" value ")
                    .append(hex(id, id >>> 8, id >>> 16, id >>> 24, 1, 0, 1, 0, 100, 0, 0, 0, 0, 0, 0, 0))
                    .append('\n');
        }
        Files.writeString(file, sb);
        long t = System.nanoTime();
        Command.run(List.of("bpftool", "batch", "file", file.toString()), Duration.ofMinutes(5))
                .check();
        long nanos = System.nanoTime() - t;
        Files.delete(file);
        return nanos;
    }

    static String hex(int... bytes) {
        StringBuilder sb = new StringBuilder();
        for (int b : bytes) {
            sb.append(String.format("0x%02x ", b & 0xff));
        }
        return sb.toString().strip();
    }

    // ---- iperf3 through the gateway ---------------------------------------------------------

    static void iperf(int seconds) throws Exception {
        System.out.printf("%n== iperf3 TCP through the gateway namespace, %d s per run, median of 3 ==%n", seconds);
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf");
        try (NetNs legacy = NetNs.create("bleg");
                NetNs gw = NetNs.create("bgw");
                NetNs pod = NetNs.create("bpod")) {
            NetNs.link(legacy, "eth0", "192.0.2.5/24", gw, "lg0", "192.0.2.1/24");
            NetNs.link(gw, "cl0", "10.1.0.1/24", pod, "eth0", "10.1.0.10/24");
            legacy.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1")
                    .check();
            legacy.exec("ip", "route", "add", "10.1.0.0/24", "via", "192.0.2.1").check();
            pod.exec("ip", "route", "add", "default", "via", "10.1.0.1").check();
            gw.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            pod.spawn(List.of("iperf3", "-s"), logs.resolve("iperf3-server.log"));
            Thread.sleep(500);

            long[] routed = new long[3];
            long[] meshgw = new long[3];
            TranslationTable vip = TranslationTable.EMPTY.withServices(List.of(new ServiceTranslation(
                    Ipv4.parse("198.51.100.10"),
                    5201,
                    Protocol.TCP,
                    100,
                    List.of(new Backend(Ipv4.parse("10.1.0.10"), 5201, 1, true)))));
            try (Datapath dp = ThreadNetns.call(
                    gw,
                    () -> Datapath.open(DatapathOptions.detached()
                            .withInterfaces("lg0", "cl0")
                            .withMode(Attachment.Mode.TCX)))) {
                dp.apply(vip);
                for (int r = 0; r < 3; r++) {
                    routed[r] = bitsPerSecond(legacy, "10.1.0.10", seconds);
                    meshgw[r] = bitsPerSecond(legacy, "198.51.100.10", seconds);
                }
                ThreadNetns.run(gw, dp::detach);
            }
            // iptables last: once its nat table exists, netfilter conntrack sees every flow.
            gw.exec(
                            "iptables",
                            "-t",
                            "nat",
                            "-A",
                            "PREROUTING",
                            "-d",
                            "198.51.100.20",
                            "-p",
                            "tcp",
                            "--dport",
                            "5201",
                            "-j",
                            "DNAT",
                            "--to-destination",
                            "10.1.0.10:5201")
                    .check();
            long[] iptables = new long[3];
            for (int r = 0; r < 3; r++) {
                iptables[r] = bitsPerSecond(legacy, "198.51.100.20", seconds);
            }
            System.out.printf("  %-34s %6.2f Gbit/s%n", "plain routing (no translation)", median(routed) / 1e9);
            System.out.printf(
                    "  %-34s %6.2f Gbit/s  %.2fx iptables%n",
                    "meshgw tcx DNAT + reverse NAT", median(meshgw) / 1e9, (double) median(meshgw) / median(iptables));
            System.out.printf("  %-34s %6.2f Gbit/s%n", "iptables DNAT (nf_conntrack)", median(iptables) / 1e9);
        }
    }

    // ---- the tunnel's encapsulation, per packet ----------------------------------------------

    /**
     * An established flow's packet, DNATed to a local backend and routed, beside the same packet DNATed to a backend of
     * another cluster and encapsulated toward its gateway (route lookup, room, outer header, redirect), in the same
     * run. Encapsulation grows the packet, so a repeated run would encapsulate it again: both are single runs over the
     * same established tuple, averaged, beside the no-op program measured the same way. The peer gateway sits beyond
     * the host's own route to 198.18.0.2 (no namespace is made).
     */
    static void encap() {
        int flows = 20_000;
        System.out.printf(
                "%n== BPF_PROG_TEST_RUN single runs, %,d each, interleaved: DNAT beside DNAT + IPIP ==%n", flows);
        ServiceTranslation local = new ServiceTranslation(
                Ipv4.parse("198.51.100.10"),
                80,
                Protocol.TCP,
                100,
                List.of(new Backend(Ipv4.parse("10.1.0.10"), 8080, 1, true)));
        ServiceTranslation remote = new ServiceTranslation(
                Ipv4.parse("198.51.100.11"),
                80,
                Protocol.TCP,
                101,
                List.of(new Backend(Ipv4.parse("10.2.0.10"), 8080, 2, false)));
        try (LoadedObject noop = LoadedObject.loadBundled("tc_noop");
                Datapath dp = Datapath.open(DatapathOptions.detached())) {
            dp.apply(TranslationTable.EMPTY.withServices(List.of(local, remote)));
            dp.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(
                    java.util.Optional.of(Ipv4.parse("172.16.9.1")), java.util.Map.of(2, Ipv4.parse("198.18.0.2"))));
            LoadedObject obj = dp.object();
            byte[] toLocal = tcp("192.0.2.5", 40000, "198.51.100.10", 80);
            byte[] toRemote = tcp("192.0.2.5", 40000, "198.51.100.11", 80);
            obj.testRun(Datapath.FROM_LEGACY, toLocal, 1); // the flows' first packets make their entries
            if (obj.testRun(Datapath.FROM_LEGACY, toRemote, 1).retval() != 7) {
                System.out.println("  skipped: the host has no route to 198.18.0.2 to send the tunnel by");
                return;
            }
            byte[] ack = SyntheticPacket.parse(toLocal)
                    .withTcpFlags(SyntheticPacket.ACK)
                    .frame();
            byte[] ackRemote = SyntheticPacket.parse(toRemote)
                    .withTcpFlags(SyntheticPacket.ACK)
                    .frame();
            long out =
                    dp.counters().get(io.meshgw.bpf.datapath.Counter.TUNNEL_OUT).packets();
            long noopNs = 0;
            long dnatNs = 0;
            long encapNs = 0;
            for (int i = 0; i < flows; i++) {
                noopNs += noop.testRun("tc_noop", ack, 1).nanosPerRun();
                dnatNs += obj.testRun(Datapath.FROM_LEGACY, ack, 1).nanosPerRun();
                encapNs += obj.testRun(Datapath.FROM_LEGACY, ackRemote, 1).nanosPerRun();
            }
            long encapsulated =
                    dp.counters().get(io.meshgw.bpf.datapath.Counter.TUNNEL_OUT).packets() - out;
            if (encapsulated != flows) {
                throw new IllegalStateException("encapsulated " + encapsulated + " of " + flows);
            }
            System.out.printf("  %-46s %5d ns/packet%n", "no-op program (floor)", noopNs / flows);
            System.out.printf("  %-46s %5d ns/packet%n", "legacy -> VIP, established, local backend", dnatNs / flows);
            System.out.printf(
                    "  %-46s %5d ns/packet  +%d ns%n",
                    "legacy -> VIP, established, tunnelled (IPIP)", encapNs / flows, (encapNs - dnatNs) / flows);
        }
    }

    // ---- the node role's steering, per packet -------------------------------------------------

    /**
     * What the node role adds at tc egress of an ordinary node's uplink, in the same run: a packet of a pod without an
     * identity (two lookups, handed on) beside a packet of a pod with one toward a legacy prefix, encapsulated toward
     * the owner of its egress address (route lookup, room, outer header, redirect), beside the no-op program. Single
     * runs (encapsulation grows the packet), averaged. The owner sits beyond the host's own route to 198.18.0.2.
     */
    static void nodeEncap() {
        int packets = 20_000;
        System.out.printf(
                "%n== BPF_PROG_TEST_RUN single runs, %,d each, interleaved: node role, handed on beside steered ==%n",
                packets);
        try (LoadedObject noop = LoadedObject.loadBundled("tc_noop");
                io.meshgw.bpf.datapath.NodeRole node =
                        io.meshgw.bpf.datapath.NodeRole.open(io.meshgw.bpf.datapath.NodeRoleOptions.detached())) {
            node.apply(new io.meshgw.bpf.datapath.NodeSteering(
                    java.util.Optional.of(Ipv4.parse("172.16.9.1")),
                    java.util.Map.of(
                            Ipv4.parse("10.244.1.10"),
                            new io.meshgw.bpf.datapath.NodeSteering.Pod(
                                    7, java.util.Optional.of(Ipv4.parse("198.18.0.2")))),
                    List.of(Ipv4Prefix.parse("192.0.2.0/24"))));
            LoadedObject obj = node.object();
            byte[] plain = tcp("10.244.1.11", 40000, "192.0.2.5", 443);
            byte[] steered = tcp("10.244.1.10", 40000, "192.0.2.5", 443);
            if (obj.testRun(io.meshgw.bpf.datapath.NodeRole.NODE_OUT, steered, 1)
                            .retval()
                    != 7) {
                System.out.println("  skipped: the host has no route to 198.18.0.2 to send the tunnel by");
                return;
            }
            long noopNs = 0;
            long plainNs = 0;
            long steeredNs = 0;
            for (int i = 0; i < packets; i++) {
                noopNs += noop.testRun("tc_noop", plain, 1).nanosPerRun();
                plainNs += obj.testRun(io.meshgw.bpf.datapath.NodeRole.NODE_OUT, plain, 1)
                        .nanosPerRun();
                steeredNs += obj.testRun(io.meshgw.bpf.datapath.NodeRole.NODE_OUT, steered, 1)
                        .nanosPerRun();
            }
            long sent = node.counters()
                    .get(io.meshgw.bpf.datapath.NodeCounter.STEERED)
                    .packets();
            if (sent != packets + 1) {
                throw new IllegalStateException("steered " + sent + " of " + (packets + 1));
            }
            System.out.printf("  %-46s %5d ns/packet%n", "no-op program (floor)", noopNs / packets);
            System.out.printf("  %-46s %5d ns/packet%n", "pod without identity, handed on", plainNs / packets);
            System.out.printf(
                    "  %-46s %5d ns/packet  +%d ns%n",
                    "identity pod -> legacy prefix, steered (IPIP)",
                    steeredNs / packets,
                    (steeredNs - plainNs) / packets);
        }
    }

    // ---- iperf3 across two gateways ----------------------------------------------------------

    /**
     * A legacy client's flow to a VIP whose backend is behind another cluster's gateway, in the same run: routed with no
     * translation; DNAT at the first gateway and plain routing both ways (the second gateway routes the client's LAN
     * back through the first, by hand); and the gateways' IPIP tunnel, with that route gone.
     */
    static void tunnel(int seconds) throws Exception {
        System.out.printf(
                "%n== iperf3 TCP across two gateways (client -> east -> west -> backend), %d s per run, median of 3 ==%n",
                seconds);
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf-tunnel");
        try (NetNs client = NetNs.create("bcli");
                NetNs east = NetNs.create("beast");
                NetNs west = NetNs.create("bwest");
                NetNs backend = NetNs.create("bbe")) {
            TranslationTable vip =
                    twoGateways(client, east, west, backend, "tn0", "172.16.9.1/30", "172.16.9.2/30", logs);
            client.exec("ip", "route", "add", "10.2.0.0/24", "via", "192.0.2.1").check();
            east.exec("ip", "route", "add", "10.2.0.0/24", "via", "172.16.9.2").check();
            var eastTunnels = new io.meshgw.bpf.datapath.TunnelTable(
                    java.util.Optional.of(Ipv4.parse("172.16.9.1")), java.util.Map.of(2, Ipv4.parse("172.16.9.2")));
            var westTunnels = new io.meshgw.bpf.datapath.TunnelTable(
                    java.util.Optional.of(Ipv4.parse("172.16.9.2")), java.util.Map.of(1, Ipv4.parse("172.16.9.1")));
            long[] routed = new long[3];
            long[] plain = new long[3];
            long[] tunnelled = new long[3];
            try (Datapath e = ThreadNetns.call(
                            east,
                            () -> Datapath.open(DatapathOptions.detached()
                                    .withInterfaces("lg0", "tn0")
                                    .withMode(Attachment.Mode.TCX)));
                    Datapath w = ThreadNetns.call(
                            west,
                            () -> Datapath.open(DatapathOptions.detached()
                                    .withInterfaces("tn0", "cl0")
                                    .withMode(Attachment.Mode.TCX)))) {
                e.apply(vip);
                w.apply(TranslationTable.EMPTY);
                for (int r = 0; r < 3; r++) {
                    west.exec("ip", "route", "add", "192.0.2.0/24", "via", "172.16.9.1")
                            .check();
                    e.applyTunnels(io.meshgw.bpf.datapath.TunnelTable.NONE);
                    w.applyTunnels(io.meshgw.bpf.datapath.TunnelTable.NONE);
                    routed[r] = bitsPerSecond(client, "10.2.0.10", seconds);
                    plain[r] = bitsPerSecond(client, "198.51.100.10", seconds);
                    west.exec("ip", "route", "del", "192.0.2.0/24").check();
                    e.applyTunnels(eastTunnels);
                    w.applyTunnels(westTunnels);
                    tunnelled[r] = bitsPerSecond(client, "198.51.100.10", seconds);
                }
                long encapsulated = e.counters()
                        .get(io.meshgw.bpf.datapath.Counter.TUNNEL_OUT)
                        .packets();
                if (encapsulated == 0) {
                    throw new IllegalStateException("the tunnel runs sent nothing through the tunnel");
                }
                ThreadNetns.run(east, e::detach);
                ThreadNetns.run(west, w::detach);
            }
            System.out.printf("  %-44s %6.2f Gbit/s%n", "routed both ways, no translation", median(routed) / 1e9);
            System.out.printf(
                    "  %-44s %6.2f Gbit/s%n", "DNAT at east, return route placed by hand", median(plain) / 1e9);
            System.out.printf(
                    "  %-44s %6.2f Gbit/s  %.2fx hand-routed DNAT%n",
                    "DNAT at east, IPIP tunnel, no return route",
                    median(tunnelled) / 1e9,
                    (double) median(tunnelled) / median(plain));
        }
    }

    /**
     * The two-gateway topology of the tunnel parts: the client (192.0.2.5, routed to the VIPs through east), east, west
     * linked over {@code link} (east's and west's addresses given), and the backend behind west (10.2.0.10, west its
     * default route); both gateways forward without reverse-path filtering. Starts iperf3's server on the backend.
     *
     * @return the VIP 198.51.100.10:5201/tcp translated to the backend, a backend of cluster 2
     */
    private static TranslationTable twoGateways(
            NetNs client,
            NetNs east,
            NetNs west,
            NetNs backend,
            String link,
            String eastAddress,
            String westAddress,
            Path logs)
            throws InterruptedException {
        NetNs.link(client, "eth0", "192.0.2.5/24", east, "lg0", "192.0.2.1/24");
        NetNs.link(east, link, eastAddress, west, link, westAddress);
        NetNs.link(west, "cl0", "10.2.0.1/24", backend, "eth0", "10.2.0.10/24");
        client.exec("ip", "route", "add", "198.51.100.0/24", "via", "192.0.2.1").check();
        backend.exec("ip", "route", "add", "default", "via", "10.2.0.1").check();
        for (NetNs gw : List.of(east, west)) {
            gw.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            gw.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0").check();
        }
        backend.spawn(List.of("iperf3", "-s"), logs.resolve("iperf3-server.log"));
        Thread.sleep(500);
        return TranslationTable.EMPTY.withServices(List.of(new ServiceTranslation(
                Ipv4.parse("198.51.100.10"),
                5201,
                Protocol.TCP,
                100,
                List.of(new Backend(Ipv4.parse("10.2.0.10"), 5201, 2, false)))));
    }

    /**
     * The gateways' tunnel in the clear and over WireGuard ({@code wireguard-go}), in the same run: the endpoints are
     * addresses of each gateway's WireGuard device; routed to each other over the link, the tunnel crosses it as IPIP,
     * routed into the devices it crosses it encrypted. Needs wireguard-go and wg.
     */
    static void wireGuardTunnel(int seconds) throws Exception {
        System.out.printf(
                "%n== iperf3 TCP across two gateways, the tunnel in the clear and over WireGuard (wireguard-go), %d s"
                        + " per run, median of 3 ==%n",
                seconds);
        if (!WireGuard.available()) {
            System.out.println("  skipped: needs wireguard-go and wg (scripts/setup.sh installs them)");
            return;
        }
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf-wg");
        String eastWg = "bwge" + ProcessHandle.current().pid() % 100_000;
        String westWg = "bwgw" + ProcessHandle.current().pid() % 100_000;
        try (NetNs client = NetNs.create("bwcli");
                NetNs east = NetNs.create("bweast");
                NetNs west = NetNs.create("bwwest");
                NetNs backend = NetNs.create("bwbe")) {
            TranslationTable vip =
                    twoGateways(client, east, west, backend, "ul0", "100.65.0.1/30", "100.65.0.2/30", logs);
            String eastKey = WireGuard.privateKey();
            String westKey = WireGuard.privateKey();
            WireGuard.device(
                    east, eastWg, "172.16.10.1", eastKey, WireGuard.publicKey(westKey), "100.65.0.2", "172.16.10.2");
            WireGuard.device(
                    west, westWg, "172.16.10.2", westKey, WireGuard.publicKey(eastKey), "100.65.0.1", "172.16.10.1");
            long[] clear = new long[3];
            long[] encrypted = new long[3];
            try (Datapath e = ThreadNetns.call(
                            east,
                            () -> Datapath.open(DatapathOptions.detached()
                                    .withInterfaces("lg0", "ul0")
                                    .withTunnelDevice(eastWg)
                                    .withMode(Attachment.Mode.TCX)));
                    Datapath w = ThreadNetns.call(
                            west,
                            () -> Datapath.open(DatapathOptions.detached()
                                    .withInterfaces("ul0", "cl0")
                                    .withTunnelDevice(westWg)
                                    .withMode(Attachment.Mode.TCX)))) {
                e.apply(vip);
                w.apply(TranslationTable.EMPTY);
                e.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(
                        java.util.Optional.of(Ipv4.parse("172.16.10.1")), Map.of(2, Ipv4.parse("172.16.10.2"))));
                w.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(
                        java.util.Optional.of(Ipv4.parse("172.16.10.2")), Map.of(1, Ipv4.parse("172.16.10.1"))));
                for (int r = 0; r < 3; r++) {
                    east.exec("ip", "route", "replace", "172.16.10.2/32", "via", "100.65.0.2", "dev", "ul0")
                            .check();
                    west.exec("ip", "route", "replace", "172.16.10.1/32", "via", "100.65.0.1", "dev", "ul0")
                            .check();
                    clear[r] = bitsPerSecond(client, "198.51.100.10", seconds);
                    east.exec("ip", "route", "replace", "172.16.10.2/32", "dev", eastWg)
                            .check();
                    west.exec("ip", "route", "replace", "172.16.10.1/32", "dev", westWg)
                            .check();
                    encrypted[r] = bitsPerSecond(client, "198.51.100.10", seconds);
                }
                if (e.counters().get(io.meshgw.bpf.datapath.Counter.TUNNEL_IN).packets() == 0) {
                    throw new IllegalStateException("east took nothing from the tunnel");
                }
                ThreadNetns.run(east, e::detach);
                ThreadNetns.run(west, w::detach);
            }
            System.out.printf("  %-44s %6.2f Gbit/s%n", "DNAT at east, IPIP tunnel in the clear", median(clear) / 1e9);
            System.out.printf(
                    "  %-44s %6.2f Gbit/s  %.2fx the tunnel in the clear%n",
                    "DNAT at east, IPIP tunnel over WireGuard",
                    median(encrypted) / 1e9,
                    (double) median(encrypted) / median(clear));
        }
    }

    // ---- iperf3 from a pod on an ordinary node, through the node role ------------------------

    /**
     * A pod of an egress identity on an ordinary node sending to a legacy host, in the same run: the node routes it
     * through the gateway, which routes it on untranslated (the floor); the same with the gateway SNATing it (the pod's
     * route through the gateway, as the lab had it before the node role); and the node role steering it to the gateway
     * in IPIP, which SNATs it and sends the replies back the same way.
     */
    static void nodeSteer(int seconds) throws Exception {
        System.out.printf(
                "%n== iperf3 TCP pod -> ordinary node -> gateway -> legacy host, %d s per run, median of 3 ==%n",
                seconds);
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf-node");
        try (NetNs pod = NetNs.create("bnpod");
                NetNs node = NetNs.create("bnnode");
                NetNs gw = NetNs.create("bngw");
                NetNs legacy = NetNs.create("bnleg")) {
            podBehindNode(pod, node, gw, legacy, "203.0.113.0/24");
            legacy.spawn(List.of("iperf3", "-s"), logs.resolve("iperf3-server.log"));
            Thread.sleep(500);
            TranslationTable egress = TranslationTable.EMPTY
                    .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.244.1.10/32"), 7)))
                    .withEgress(List.of(new EgressTranslation(
                            7, Ipv4.parse("203.0.113.7"), List.of(Ipv4Prefix.parse("192.0.3.0/24")))));
            var steering = new io.meshgw.bpf.datapath.NodeSteering(
                    java.util.Optional.of(Ipv4.parse("10.0.0.2")),
                    Map.of(
                            Ipv4.parse("10.244.1.10"),
                            new io.meshgw.bpf.datapath.NodeSteering.Pod(
                                    7, java.util.Optional.of(Ipv4.parse("10.0.0.1")))),
                    List.of(Ipv4Prefix.parse("192.0.3.0/24")));
            long[] routed = new long[3];
            long[] snat = new long[3];
            long[] steered = new long[3];
            try (Datapath g = gatewayAt(gw);
                    io.meshgw.bpf.datapath.NodeRole role = nodeRoleAt(node)) {
                g.applySteering(
                        new io.meshgw.bpf.datapath.SteeringTable(java.util.Set.of(Ipv4.parse("10.0.0.2")), Map.of()));
                for (int r = 0; r < 3; r++) {
                    role.apply(io.meshgw.bpf.datapath.NodeSteering.NONE);
                    g.apply(TranslationTable.EMPTY);
                    routed[r] = bitsPerSecond(pod, "192.0.3.5", seconds);
                    g.apply(egress);
                    snat[r] = bitsPerSecond(pod, "192.0.3.5", seconds);
                    role.apply(steering);
                    steered[r] = bitsPerSecond(pod, "192.0.3.5", seconds);
                }
                long encapsulated = role.counters()
                        .get(io.meshgw.bpf.datapath.NodeCounter.STEERED)
                        .packets();
                long replies = role.counters()
                        .get(io.meshgw.bpf.datapath.NodeCounter.REPLY_IN)
                        .packets();
                if (encapsulated == 0 || replies == 0) {
                    throw new IllegalStateException("the steered runs sent or received nothing through the tunnel");
                }
                ThreadNetns.run(gw, g::detach);
                ThreadNetns.run(node, role::detach);
            }
            System.out.printf(
                    "  %-48s %6.2f Gbit/s%n", "routed through the gateway, no translation", median(routed) / 1e9);
            System.out.printf(
                    "  %-48s %6.2f Gbit/s  %.2fx routed%n",
                    "SNAT at the gateway, pod routed through it",
                    median(snat) / 1e9,
                    (double) median(snat) / median(routed));
            System.out.printf(
                    "  %-48s %6.2f Gbit/s  %.2fx routed, %.2fx SNAT alone%n",
                    "node role IPIP to the gateway, SNAT there",
                    median(steered) / 1e9,
                    (double) median(steered) / median(routed),
                    (double) median(steered) / median(snat));
        }
    }

    /**
     * The node role's return half: iperf3 between a legacy host and a backend pod on an ordinary node, through a VIP at
     * the gateway, each direction: routed to the pod's own address (no VIP), DNAT at the gateway with the node routing
     * the replies back through it, and DNAT with the flow sent to the node in IPIP and its replies returned by the node
     * role. Median of 3 runs, interleaved.
     */
    static void nodeReturn(int seconds) throws Exception {
        System.out.printf(
                "%n== iperf3 TCP legacy host <-> VIP at the gateway <-> backend on an ordinary node, %d s per run,"
                        + " median of 3 ==%n",
                seconds);
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf-return");
        try (NetNs pod = NetNs.create("brpod");
                NetNs node = NetNs.create("brnode");
                NetNs gw = NetNs.create("brgw");
                NetNs legacy = NetNs.create("brleg")) {
            podBehindNode(pod, node, gw, legacy, "198.51.100.10/32");
            pod.spawn(List.of("iperf3", "-s"), logs.resolve("iperf3-server.log"));
            Thread.sleep(500);
            var pod4 = Ipv4.parse("10.244.1.10");
            TranslationTable plain = vip(new Backend(pod4, 5201, 1, true));
            TranslationTable viaNode = vip(new Backend(pod4, 5201, 1, true, true));
            var returning = returningTo(pod4);
            String[] labels = {
                "routed to the pod's address, no VIP",
                "DNAT at the gateway, replies routed back through it",
                "DNAT, IPIP to the node, replies returned by the node role"
            };
            long[][][] bps;
            try (Datapath g = gatewayAt(gw);
                    io.meshgw.bpf.datapath.NodeRole role = nodeRoleAt(node)) {
                bps = floorBesideTwoVipPaths(
                        legacy,
                        seconds,
                        () -> {
                            role.apply(io.meshgw.bpf.datapath.NodeSteering.NONE);
                            g.applySteering(io.meshgw.bpf.datapath.SteeringTable.NONE);
                            // No VIP while the pod is reached by its own address: with one, the gateway takes the
                            // pod's answers from its service port for the VIP's (reply adoption).
                            g.apply(TranslationTable.EMPTY);
                        },
                        () -> g.apply(plain),
                        () -> {
                            role.apply(returning);
                            sendToTheNode(g, pod4);
                            g.apply(viaNode);
                        });
                long in = role.counters()
                        .get(io.meshgw.bpf.datapath.NodeCounter.FLOW_IN)
                        .packets();
                long returned = role.counters()
                        .get(io.meshgw.bpf.datapath.NodeCounter.RETURNED)
                        .packets();
                if (in == 0 || returned == 0) {
                    throw new IllegalStateException("the node role took nothing in or returned nothing");
                }
                ThreadNetns.run(gw, g::detach);
                ThreadNetns.run(node, role::detach);
            }
            printBothWays(labels, bps);
        }
    }

    /**
     * The same backend behind another cluster's gateway: a legacy client (192.0.4.5) reaches a VIP at the peer gateway
     * (the namespace in {@link #podBehindNode}'s legacy host's place, 192.0.3.5, its tunnel endpoint), which translates
     * the flow and tunnels it to the gateway of the pod's cluster. In the same run: the client routed to the pod's own
     * address (the floor); the peer's tunnel with the gateway routing the flow on to the pod, whose node routes the
     * replies back to it (the node's default route is the gateway); and the gateway relaying the flow to the node in
     * IPIP, whose node role returns the replies, each packet leaving one tunnel and entering another at the gateway.
     */
    static void nodeRelay(int seconds) throws Exception {
        System.out.printf(
                "%n== iperf3 TCP legacy host <-> VIP at another cluster's gateway <-> gateway <-> backend on an"
                        + " ordinary node, %d s per run, median of 3 ==%n",
                seconds);
        NetNs.removeStale();
        Path logs = Files.createTempDirectory("mgw-iperf-relay");
        try (NetNs pod = NetNs.create("bxpod");
                NetNs node = NetNs.create("bxnode");
                NetNs gw = NetNs.create("bxgw");
                NetNs peer = NetNs.create("bxpeer");
                NetNs client = NetNs.create("bxcli")) {
            // The peer routes the gateway's endpoint (10.0.0.1) and the pods through the gateway.
            podBehindNode(pod, node, gw, peer, "10.0.0.0/24");
            NetNs.link(peer, "lg0", "192.0.4.1/24", client, "eth0", "192.0.4.5/24");
            client.exec("ip", "route", "add", "default", "via", "192.0.4.1").check();
            gw.exec("ip", "route", "add", "192.0.4.0/24", "via", "192.0.3.5").check();
            peer.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            peer.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0").check();
            pod.spawn(List.of("iperf3", "-s"), logs.resolve("iperf3-server.log"));
            Thread.sleep(500);
            var pod4 = Ipv4.parse("10.244.1.10");
            var gwEndpoint = Ipv4.parse("10.0.0.1");
            var peerEndpoint = Ipv4.parse("192.0.3.5");
            TranslationTable remote = vip(new Backend(pod4, 5201, 1, false));
            var returning = returningTo(pod4);
            String[] labels = {
                "routed to the pod's address, no VIP",
                "DNAT at the peer, tunnel, routed on by the gateway",
                "DNAT at the peer, tunnel, relayed to the node in IPIP"
            };
            long[][][] bps;
            try (Datapath g = gatewayAt(gw);
                    Datapath p = ThreadNetns.call(
                            peer,
                            () -> Datapath.open(DatapathOptions.detached()
                                    .withInterfaces("lg0", "eth0")
                                    .withMode(Attachment.Mode.TCX)));
                    io.meshgw.bpf.datapath.NodeRole role = nodeRoleAt(node)) {
                g.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(
                        java.util.Optional.of(gwEndpoint), Map.of(2, peerEndpoint)));
                p.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(
                        java.util.Optional.of(peerEndpoint), Map.of(1, gwEndpoint)));
                bps = floorBesideTwoVipPaths(
                        client,
                        seconds,
                        () -> {
                            role.apply(io.meshgw.bpf.datapath.NodeSteering.NONE);
                            g.applySteering(io.meshgw.bpf.datapath.SteeringTable.NONE);
                            p.apply(TranslationTable.EMPTY);
                        },
                        () -> p.apply(remote),
                        () -> {
                            role.apply(returning);
                            sendToTheNode(g, pod4);
                        });
                long relayed = g.counters()
                        .get(io.meshgw.bpf.datapath.Counter.BACKEND_NODE)
                        .packets();
                long returned = role.counters()
                        .get(io.meshgw.bpf.datapath.NodeCounter.RETURNED)
                        .packets();
                long lost = g.counters()
                        .get(io.meshgw.bpf.datapath.Counter.DROP_TUNNEL_ROUTE)
                        .packets();
                if (relayed == 0 || returned == 0 || lost != 0) {
                    throw new IllegalStateException("relayed " + relayed + ", returned " + returned + ", lost " + lost);
                }
                ThreadNetns.run(gw, g::detach);
                ThreadNetns.run(peer, p::detach);
                ThreadNetns.run(node, role::detach);
            }
            printBothWays(labels, bps);
        }
    }

    /**
     * Three runs of iperf3 from {@code client} each way: to the pod's own address after {@code floor} (10.244.1.10), to
     * the VIP (198.51.100.10) after {@code translated}, and to the VIP after {@code viaNode}; [direction][path][run].
     */
    private static long[][][] floorBesideTwoVipPaths(
            NetNs client, int seconds, Runnable floor, Runnable translated, Runnable viaNode) {
        long[][][] bps = new long[2][3][3];
        for (int r = 0; r < 3; r++) {
            for (int reverse = 0; reverse < 2; reverse++) {
                floor.run();
                bps[reverse][0][r] = bitsPerSecond(client, "10.244.1.10", seconds, reverse == 1);
                translated.run();
                bps[reverse][1][r] = bitsPerSecond(client, "198.51.100.10", seconds, reverse == 1);
                viaNode.run();
                bps[reverse][2][r] = bitsPerSecond(client, "198.51.100.10", seconds, reverse == 1);
            }
        }
        return bps;
    }

    /**
     * The node role on {@link #podBehindNode}'s node (10.0.0.2) taking in the gateway's (10.0.0.1) flows for {@code pod}
     * and returning their replies to it.
     */
    private static io.meshgw.bpf.datapath.NodeSteering returningTo(java.net.Inet4Address pod) {
        return new io.meshgw.bpf.datapath.NodeSteering(
                java.util.Optional.of(Ipv4.parse("10.0.0.2")),
                Map.of(),
                List.of(),
                java.util.Set.of(Ipv4.parse("10.0.0.1")),
                java.util.Set.of(pod));
    }

    /** The gateway sends the flows of {@code pod} to {@link #podBehindNode}'s node (10.0.0.2) in IPIP. */
    private static void sendToTheNode(Datapath g, java.net.Inet4Address pod) {
        var node = Ipv4.parse("10.0.0.2");
        g.applySteering(new io.meshgw.bpf.datapath.SteeringTable(java.util.Set.of(node), Map.of(), Map.of(pod, node)));
    }

    private static void printBothWays(String[] labels, long[][][] bps) {
        for (int reverse = 0; reverse < 2; reverse++) {
            System.out.printf("  %s%n", reverse == 0 ? "legacy host sends" : "backend sends (-R)");
            for (int c = 0; c < 3; c++) {
                System.out.printf(
                        "    %-58s %6.2f Gbit/s  %.2fx routed%n",
                        labels[c],
                        median(bps[reverse][c]) / 1e9,
                        (double) median(bps[reverse][c]) / median(bps[reverse][0]));
            }
        }
    }

    /**
     * A pod 10.244.1.10 behind an ordinary node (10.0.0.2 on its uplink) whose default route is a gateway (10.0.0.1),
     * in front of a legacy host 192.0.3.5, which routes the pods' network and {@code legacyRoute} to the gateway.
     */
    private static void podBehindNode(NetNs pod, NetNs node, NetNs gw, NetNs legacy, String legacyRoute) {
        NetNs.link(node, "pd0", "10.244.1.1/24", pod, "eth0", "10.244.1.10/24");
        NetNs.link(node, "up0", "10.0.0.2/24", gw, "cl0", "10.0.0.1/24");
        NetNs.link(gw, "lg0", "192.0.3.1/24", legacy, "eth0", "192.0.3.5/24");
        pod.exec("ip", "route", "add", "default", "via", "10.244.1.1").check();
        node.exec("ip", "route", "add", "default", "via", "10.0.0.1").check();
        gw.exec("ip", "route", "add", "10.244.1.0/24", "via", "10.0.0.2").check();
        for (String prefix : List.of(legacyRoute, "10.244.1.0/24")) {
            legacy.exec("ip", "route", "add", prefix, "via", "192.0.3.1").check();
        }
        for (NetNs router : List.of(node, gw)) {
            router.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
            router.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0").check();
        }
    }

    /** The gateway's datapath on {@link #podBehindNode}'s gateway, its tunnel endpoint 10.0.0.1. */
    private static Datapath gatewayAt(NetNs gw) {
        Datapath g = ThreadNetns.call(
                gw,
                () -> Datapath.open(
                        DatapathOptions.detached().withInterfaces("lg0", "cl0").withMode(Attachment.Mode.TCX)));
        g.applyTunnels(new io.meshgw.bpf.datapath.TunnelTable(java.util.Optional.of(Ipv4.parse("10.0.0.1")), Map.of()));
        return g;
    }

    /** The node role on {@link #podBehindNode}'s node, on its uplink. */
    private static io.meshgw.bpf.datapath.NodeRole nodeRoleAt(NetNs node) {
        return ThreadNetns.call(
                node,
                () -> io.meshgw.bpf.datapath.NodeRole.open(io.meshgw.bpf.datapath.NodeRoleOptions.detached()
                        .withUplinks("up0")
                        .withMode(Attachment.Mode.TCX)));
    }

    /** VIP 198.51.100.10:5201 (TCP) to {@code backend}. */
    private static TranslationTable vip(Backend backend) {
        return TranslationTable.EMPTY.withServices(List.of(new io.meshgw.bpf.datapath.ServiceTranslation(
                Ipv4.parse("198.51.100.10"), 5201, io.meshgw.types.Protocol.TCP, 100, List.of(backend))));
    }

    static long bitsPerSecond(NetNs client, String server, int seconds) {
        return bitsPerSecond(client, server, seconds, false);
    }

    /** iperf3's received rate; with {@code reverse} the server sends ({@code -R}). */
    static long bitsPerSecond(NetNs client, String server, int seconds, boolean reverse) {
        List<String> cmd =
                new java.util.ArrayList<>(List.of("iperf3", "-c", server, "-t", String.valueOf(seconds), "-J"));
        if (reverse) cmd.add("-R");
        String json = client.exec(Duration.ofSeconds(seconds + 20), cmd.toArray(String[]::new))
                .check()
                .stdout();
        Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.e+]+)")
                .matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("iperf3 printed no received rate: " + json);
        }
        return (long) Double.parseDouble(m.group(1));
    }
}
