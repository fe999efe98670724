package io.meshgw.bench;

import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.MeshgwRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A full table through the speaker under test, in two steps on one set of routers. Relay: one BIRD
 * tester announces P unique IPv4 /32s, which the speaker passes on to a BIRD monitor; timed from
 * the tester's start until the monitor holds P routes. Churn: a second tester announces the same
 * P prefixes with another AS path; it has the lower BGP identifier, so every destination's best
 * path moves to it (RFC 4271 §9.1.2.2 (f)) and the speaker sends the monitor P replacements; timed
 * until the monitor holds all P through the second tester's AS. Each step's CPU seconds are the
 * speaker's; peak RSS is its VmHWM at the end. For meshgw the live heap after a full GC is read
 * (a class histogram) with no routes, after the relay and after the churn, which gives the bytes
 * a route takes in the RIB with one path and with two.
 *
 * <p>FRR prefers the older of two external paths unless told to compare identifiers (RFC 4271
 * leaves this to the implementation), so its churn step would never finish: it runs the relay
 * step only.
 *
 * <p>Usage: {@code BgpFullTableBench <prefixes> <target,target,...> [timeout-s]} with targets from
 * {@code meshgw, bird, frr}.
 */
public final class BgpFullTableBench {

    private static final long TARGET_ASN = 65000;
    private static final long MONITOR_ASN = 65099;
    /** The churn tester: router id 10.210.0.1, lower than the relay tester's, so it wins. */
    private static final long CHURN_ASN = 65100;

    private static final long RELAY_ASN = 65101;
    private static final Pattern COUNT = Pattern.compile("(\\d+) of \\d+ routes");
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    /** One step's figures. */
    record Step(String target, String step, double seconds, double cpuSeconds) {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BgpFullTableBench <prefixes> <meshgw,bird,frr> [timeout-s]");
            System.exit(2);
        }
        int prefixes = Integer.parseInt(args[0]);
        Duration timeout = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 900);
        NetNs.removeStale();
        if (System.getProperty(MeshgwRouter.CLASSPATH_PROPERTY) == null) {
            try (var in = BgpFullTableBench.class.getResourceAsStream("speaker.classpath")) {
                System.setProperty(MeshgwRouter.CLASSPATH_PROPERTY, new String(in.readAllBytes()).strip());
            }
        }
        List<String> table = BgpIngestBench.hostRoutes(0, prefixes);
        List<String> rows = new ArrayList<>();
        for (String t : args[1].split(",")) {
            RouterKind kind = RouterKind.valueOf(t.strip().toUpperCase(Locale.ROOT));
            run(kind, table, timeout, row -> {
                System.out.println(row);
                rows.add(row);
            });
        }
        System.out.println();
        System.out.println("target   step      prefixes      time         cpu       peak RSS   heap/route");
        rows.forEach(System.out::println);
    }

    /** Runs both steps against {@code kind}; each row goes to {@code rows} as soon as it is measured. */
    static void run(RouterKind kind, List<String> table, Duration timeout, Consumer<String> rows) throws Exception {
        Path work = Files.createTempDirectory("meshgw-bench-bgp-full-");
        List<NetNs> spaces = new ArrayList<>();
        List<BgpRouter> routers = new ArrayList<>();
        try {
            NetNs target = BgpIngestBench.track(spaces, NetNs.create("tgt"));
            NetNs monitorNs = BgpIngestBench.track(spaces, NetNs.create("mon"));
            NetNs.link(monitorNs, "m0", "10.211.0.1/30", target, "mon", "10.211.0.2/30");
            NetNs churnNs = BgpIngestBench.track(spaces, NetNs.create("t0"));
            NetNs.link(churnNs, "t0", "10.210.0.1/30", target, "p0", "10.210.0.2/30");
            NetNs relayNs = BgpIngestBench.track(spaces, NetNs.create("t1"));
            NetNs.link(relayNs, "t1", "10.210.1.1/30", target, "p1", "10.210.1.2/30");

            BgpRouter speaker = BgpIngestBench.track(
                    routers,
                    BgpRouter.start(
                            kind,
                            target,
                            RouterSpec.of(
                                    "target",
                                    "10.211.0.2",
                                    TARGET_ASN,
                                    List.of(
                                            BgpNeighbor.of("10.211.0.1", MONITOR_ASN),
                                            BgpNeighbor.of("10.210.0.1", CHURN_ASN),
                                            BgpNeighbor.of("10.210.1.1", RELAY_ASN)),
                                    List.of()),
                            work.resolve("target")));
            Path monitorDir = work.resolve("monitor");
            BgpRouter monitor = BgpIngestBench.startMonitor(routers, monitorNs, monitorDir, kind);
            String name = kind.name().toLowerCase(Locale.ROOT);
            boolean java = kind == RouterKind.MESHGW;
            long emptyHeap = java ? liveHeap(speaker.pid()) : -1;
            int n = table.size();

            RouterSpec relay = RouterSpec.of(
                    "relay", "10.210.1.1", RELAY_ASN, List.of(BgpNeighbor.of("10.210.1.2", TARGET_ASN)), table);
            Step one = step(
                    name,
                    "relay",
                    speaker,
                    n,
                    timeout,
                    () -> monitor.routeCount(),
                    () -> BgpIngestBench.track(
                            routers, BgpRouter.start(RouterKind.BIRD, relayNs, relay, work.resolve("relay"))));
            long relayHeap = java ? liveHeap(speaker.pid()) : -1;
            rows.accept(row(one, n, peakRssKib(speaker), relayHeap < 0 ? -1 : (relayHeap - emptyHeap) / (double) n));

            if (kind != RouterKind.FRR) {
                RouterSpec churn = RouterSpec.of(
                        "churn", "10.210.0.1", CHURN_ASN, List.of(BgpNeighbor.of("10.210.0.2", TARGET_ASN)), table);
                Step two = step(
                        name,
                        "churn",
                        speaker,
                        n,
                        timeout,
                        () -> countVia(monitorNs, monitorDir, CHURN_ASN),
                        () -> BgpIngestBench.track(
                                routers, BgpRouter.start(RouterKind.BIRD, churnNs, churn, work.resolve("churn"))));
                long churnHeap = java ? liveHeap(speaker.pid()) : -1;
                rows.accept(
                        row(two, n, peakRssKib(speaker), churnHeap < 0 ? -1 : (churnHeap - emptyHeap) / (double) n));
            }
        } catch (IllegalStateException e) {
            // a target that fails a step (runs out of memory, never converges) is a result too: say so, go on
            rows.accept(String.format(
                    Locale.ROOT, "%-8s failed: %s", kind.name().toLowerCase(Locale.ROOT), e.getMessage()));
        } finally {
            BgpIngestBench.tearDown(routers, spaces, work);
        }
    }

    private static Step step(
            String target,
            String step,
            BgpRouter speaker,
            long expected,
            Duration timeout,
            LongSupplier held,
            Runnable start)
            throws Exception {
        long pid = speaker.pid();
        long cpuBefore = BgpIngestBench.cpuTicks(pid);
        long t0 = System.nanoTime();
        start.run();
        boolean done = BgpRouter.await(timeout, () -> !BgpIngestBench.alive(pid) || held.getAsLong() >= expected);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!BgpIngestBench.alive(pid)) {
            throw new IllegalStateException(
                    target + " exited during the " + step + " step: " + BgpIngestBench.firstError(speaker.logFile()));
        }
        if (!done) {
            throw new IllegalStateException(target + " " + step + ": the monitor holds " + held.getAsLong() + " of "
                    + expected + " routes after " + timeout);
        }
        double cpu = (BgpIngestBench.cpuTicks(speaker.pid()) - cpuBefore) / 100.0; // USER_HZ is 100 on Linux
        return new Step(target, step, seconds, cpu);
    }

    private static String row(Step s, int prefixes, long peakRssKib, double heapPerRoute) {
        return String.format(
                Locale.ROOT,
                "%-8s %-7s %9d %9.1f s %8.1f cpu-s %6.0f MiB %s",
                s.target(),
                s.step(),
                prefixes,
                s.seconds(),
                s.cpuSeconds(),
                peakRssKib / 1024.0,
                heapPerRoute < 0 ? "-" : String.format(Locale.ROOT, "%7.1f B", heapPerRoute));
    }

    private static long peakRssKib(BgpRouter r) {
        try {
            return BgpIngestBench.peakRssKib(r.pid());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Routes the BIRD monitor holds whose AS path ends with {@code origin}. */
    private static long countVia(NetNs monitorNs, Path monitorDir, long origin) {
        String out = monitorNs
                .exec(
                        "birdc",
                        "-s",
                        monitorDir.resolve("bird.ctl").toString(),
                        "show",
                        "route",
                        "where",
                        "bgp_path.last = " + origin,
                        "count")
                .check()
                .stdout();
        Matcher m = COUNT.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("unexpected `show route where ... count` output: " + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** The JVM's live heap in bytes: a class histogram runs a full GC first and totals what survived. */
    private static long liveHeap(long pid) {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow())
                .resolveSibling("jcmd"); // the speaker runs on this JVM's java
        String out = Command.run(
                        List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"), Duration.ofMinutes(2))
                .check()
                .stdout();
        Matcher m = HISTOGRAM_TOTAL.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no total in the class histogram of " + pid);
        }
        out.lines().skip(2).limit(14).forEach(l -> System.out.println("  heap: " + l));
        return Long.parseLong(m.group(2));
    }
}
