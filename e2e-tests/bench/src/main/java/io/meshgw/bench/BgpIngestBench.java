package io.meshgw.bench;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.MeshgwRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bgperf-style ingest benchmark on one machine: N BIRD testers each announce P unique /32s to
 * the speaker under test, which passes them on to a BIRD monitor. The figure is the time from the
 * testers' start until the monitor holds N x P routes, with the CPU seconds and peak RSS of the
 * speaker under test. Every target named runs in the same invocation, so the figures sit side by
 * side.
 *
 * <p>Usage: {@code BgpIngestBench <peers> <prefixes-per-peer> <target,target,...> [timeout-s]}
 * with targets from {@code meshgw, bird, frr, gobgp}.
 */
public final class BgpIngestBench {

    private static final long TARGET_ASN = 65000;
    private static final long MONITOR_ASN = 65099;
    private static final long TESTER_ASN_BASE = 65100;

    /** One target's result. */
    record Result(String target, int peers, int prefixes, double seconds, double cpuSeconds, long peakRssKib) {
        String row() {
            return String.format(
                    Locale.ROOT,
                    "%-8s %5d x %-7d %9.1f s %9.1f cpu-s %8.0f MiB",
                    target,
                    peers,
                    prefixes,
                    seconds,
                    cpuSeconds,
                    peakRssKib / 1024.0);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: BgpIngestBench <peers> <prefixes-per-peer> <bird,frr,gobgp> [timeout-s]");
            System.exit(2);
        }
        int peers = Integer.parseInt(args[0]);
        int prefixes = Integer.parseInt(args[1]);
        Duration timeout = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 900);
        NetNs.removeStale();
        if (System.getProperty(MeshgwRouter.CLASSPATH_PROPERTY) == null) {
            try (var in = BgpIngestBench.class.getResourceAsStream("speaker.classpath")) {
                System.setProperty(MeshgwRouter.CLASSPATH_PROPERTY, new String(in.readAllBytes()).strip());
            }
        }
        List<String> rows = new ArrayList<>();
        for (String t : args[2].split(",")) {
            RouterKind kind = RouterKind.valueOf(t.strip().toUpperCase(Locale.ROOT));
            String row;
            try {
                row = run(kind, peers, prefixes, timeout).row();
            } catch (IllegalStateException e) { // a target that runs out of memory is a result too
                row = String.format(Locale.ROOT, "%-8s failed: %s", t.strip(), e.getMessage());
            }
            System.out.println(row);
            rows.add(row);
        }
        System.out.println();
        System.out.println("target   peers x prefixes    converge        cpu          peak RSS");
        rows.forEach(System.out::println);
    }

    static Result run(RouterKind kind, int peers, int prefixes, Duration timeout) throws Exception {
        Path work = Files.createTempDirectory("meshgw-bench-bgp-");
        List<NetNs> spaces = new ArrayList<>();
        List<BgpRouter> routers = new ArrayList<>();
        try {
            NetNs target = track(spaces, NetNs.create("tgt"));
            NetNs monitorNs = track(spaces, NetNs.create("mon"));
            NetNs.link(monitorNs, "m0", "10.211.0.1/30", target, "mon", "10.211.0.2/30");
            List<BgpNeighbor> targetNeighbors = new ArrayList<>();
            targetNeighbors.add(BgpNeighbor.of("10.211.0.1", MONITOR_ASN));
            List<NetNs> testerNs = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                NetNs ns = track(spaces, NetNs.create("t" + i));
                NetNs.link(ns, "t" + i, "10.210." + i + ".1/30", target, "p" + i, "10.210." + i + ".2/30");
                testerNs.add(ns);
                targetNeighbors.add(BgpNeighbor.of("10.210." + i + ".1", TESTER_ASN_BASE + i));
            }

            BgpRouter speaker = track(
                    routers,
                    BgpRouter.start(
                            kind,
                            target,
                            RouterSpec.of("target", "10.211.0.2", TARGET_ASN, targetNeighbors, List.of()),
                            work.resolve("target")));
            BgpRouter monitor = startMonitor(routers, monitorNs, work.resolve("monitor"), kind);

            List<RouterSpec> testerSpecs = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                testerSpecs.add(RouterSpec.of(
                        "tester" + i,
                        "10.210." + i + ".1",
                        TESTER_ASN_BASE + i,
                        List.of(BgpNeighbor.of("10.210." + i + ".2", TARGET_ASN)),
                        hostRoutes(i, prefixes)));
            }
            long expected = (long) peers * prefixes;
            long cpuBefore = cpuTicks(speaker.pid());
            long start = System.nanoTime();
            for (int i = 0; i < peers; i++) {
                track(
                        routers,
                        BgpRouter.start(
                                RouterKind.BIRD, testerNs.get(i), testerSpecs.get(i), work.resolve("tester" + i)));
            }
            long pid = speaker.pid();
            boolean done = BgpRouter.await(timeout, () -> !alive(pid) || monitor.routeCount() >= expected);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!alive(pid)) {
                throw new IllegalStateException(
                        kind + " exited before it delivered " + expected + " routes: " + firstError(speaker.logFile()));
            }
            if (!done) {
                throw new IllegalStateException(kind + " did not deliver " + expected + " routes within " + timeout
                        + " (monitor holds " + monitor.routeCount() + ")");
            }
            double cpu = (cpuTicks(speaker.pid()) - cpuBefore) / 100.0; // USER_HZ is 100 on Linux
            return new Result(
                    kind.name().toLowerCase(Locale.ROOT), peers, prefixes, seconds, cpu, peakRssKib(speaker.pid()));
        } finally {
            tearDown(routers, spaces, work);
        }
    }

    /** P unique /32s for tester i, disjoint across testers: 20.0.0.0 + i*P + k. */
    static List<String> hostRoutes(int tester, int count) {
        List<String> out = new ArrayList<>(count);
        long base = (20L << 24) + (long) tester * count;
        for (int k = 0; k < count; k++) {
            long a = base + k;
            out.add(((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255) + "/32");
        }
        return out;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The first line of a router's log that names an error: why it stopped. */
    static String firstError(Path log) {
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("Error") || l.contains("Exception"))
                    .findFirst()
                    .orElse("nothing in " + log);
        } catch (IOException e) {
            return "no log: " + e.getMessage();
        }
    }

    /**
     * The BIRD monitor at 10.211.0.1 (AS 65099) peering with the target at 10.211.0.2 (AS 65000), its config and
     * control socket under {@code dir}; returns once their session is up, else throws naming {@code kind}.
     */
    static BgpRouter startMonitor(List<BgpRouter> routers, NetNs monitorNs, Path dir, RouterKind kind) {
        BgpRouter monitor = track(
                routers,
                BgpRouter.start(
                        RouterKind.BIRD,
                        monitorNs,
                        RouterSpec.of(
                                "monitor",
                                "10.211.0.1",
                                MONITOR_ASN,
                                List.of(BgpNeighbor.of("10.211.0.2", TARGET_ASN)),
                                List.of()),
                        dir));
        if (!BgpRouter.await(Duration.ofSeconds(60), () -> monitor.established("10.211.0.2"))) {
            throw new IllegalStateException("monitor session to " + kind + " did not come up; see " + dir.getParent());
        }
        return monitor;
    }

    /** Stops the routers and removes the namespaces, last started first, then deletes {@code work}. */
    static void tearDown(List<BgpRouter> routers, List<NetNs> spaces, Path work) throws IOException {
        for (BgpRouter r : routers.reversed()) {
            r.close();
        }
        for (NetNs ns : spaces.reversed()) {
            ns.close();
        }
        try (var paths = Files.walk(work)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    static <T> T track(List<? super T> list, T item) {
        list.add(item);
        return item;
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/pid/stat). */
    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** VmHWM: the peak resident set of a process, in KiB. */
    static long peakRssKib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmHWM for pid " + pid);
    }
}
