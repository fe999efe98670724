package io.meshgw.bench;

import io.meshgw.bpf.fib.FibOptions;
import io.meshgw.bpf.fib.KernelFib;
import io.meshgw.bpf.fib.RouteInstaller;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The time to install N learned routes in a kernel routing table and to remove them: meshgw's {@link RouteInstaller}
 * over rtnetlink (datagrams of 256 requests, and of 1 for comparison), beside {@code ip -batch} adding and deleting
 * the same routes, in a fresh namespace with one link; every second route has two gateways (ECMP). Also what a
 * {@link RouteInstaller#repair} costs over the full table, beside iproute2 listing it. Usage:
 * {@code KernelRoutesBench [n=100000]}; needs root, run it under the namespace lock.
 */
public final class KernelRoutesBench {

    private static final IpAddress GW2 = IpAddress.parse("10.9.0.2");
    private static final IpAddress GW3 = IpAddress.parse("10.9.0.3");

    private KernelRoutesBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        NetNs.removeStale();
        try (NetNs ns = NetNs.create("krb")) {
            ns.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
                    .check();
            ns.exec("ip", "link", "set", "v0", "up").check();
            ns.exec("ip", "link", "set", "v1", "up").check();
            ns.exec("ip", "addr", "add", "10.9.0.1/24", "dev", "v0").check();
            Map<IpPrefix, List<IpAddress>> routes = routes(n);
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and the kernel's caches up
                boolean print = round == 1;
                ipBatch(ns, routes, print);
                installer(ns, routes, 256, print);
                if (n <= 10_000) {
                    installer(ns, routes, 1, print);
                }
            }
        }
    }

    /** The i-th /24 from 16.0.0.0, every second one with two gateways. */
    private static Map<IpPrefix, List<IpAddress>> routes(int n) {
        Map<IpPrefix, List<IpAddress>> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            m.put(prefix(i), i % 2 == 0 ? List.of(GW2) : List.of(GW2, GW3));
        }
        return m;
    }

    /** The i-th /24 from 16.0.0.0. */
    private static IpPrefix prefix(int i) {
        return IpPrefix.of(IpAddress.of(new byte[] {(byte) (16 + (i >> 16)), (byte) (i >> 8), (byte) i, 0}), 24);
    }

    private static void ipBatch(NetNs ns, Map<IpPrefix, List<IpAddress>> routes, boolean print) throws IOException {
        Path add = Files.createTempFile("krb-add", ".batch");
        Path del = Files.createTempFile("krb-del", ".batch");
        try {
            StringBuilder a = new StringBuilder();
            StringBuilder d = new StringBuilder();
            routes.forEach((p, gws) -> {
                a.append("route add ").append(p).append(" proto 200 metric 20");
                if (gws.size() == 1) {
                    a.append(" via ").append(gws.getFirst());
                } else {
                    gws.forEach(g -> a.append(" nexthop via ").append(g));
                }
                a.append('\n');
                d.append("route del ").append(p).append(" proto 200 metric 20\n");
            });
            Files.writeString(add, a);
            Files.writeString(del, d);
            long t0 = System.nanoTime();
            ns.exec(Duration.ofMinutes(10), "ip", "-batch", add.toString()).check();
            long t1 = System.nanoTime();
            check(ns, routes.size());
            long t2 = System.nanoTime();
            ns.exec(Duration.ofMinutes(10), "ip", "-batch", del.toString()).check();
            long t3 = System.nanoTime();
            check(ns, 0);
            report(print, "ip -batch (iproute2)", routes.size(), t1 - t0, t3 - t2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Files.deleteIfExists(add);
            Files.deleteIfExists(del);
        }
    }

    private static void installer(NetNs ns, Map<IpPrefix, List<IpAddress>> routes, int batch, boolean print) {
        try (RouteInstaller r = ThreadNetns.call(
                ns,
                () -> RouteInstaller.adopt(KernelFib.open(FibOptions.defaults().withBatch(batch)), 8))) {
            long t0 = System.nanoTime();
            int refused = r.apply(routes).size();
            long t1 = System.nanoTime();
            check(ns, routes.size());
            if (batch > 1) {
                repair(ns, r, routes.size(), print);
            }
            Map<IpPrefix, List<IpAddress>> none = new LinkedHashMap<>();
            routes.keySet().forEach(p -> none.put(p, List.of()));
            long t2 = System.nanoTime();
            refused += r.apply(none).size();
            long t3 = System.nanoTime();
            check(ns, 0);
            if (refused > 0) {
                throw new IllegalStateException(refused + " changes refused");
            }
            report(print, "meshgw RouteInstaller, " + batch + " per datagram", routes.size(), t1 - t0, t3 - t2);
        }
    }

    /**
     * What a repair costs when nothing was lost (what it costs every interval): the table read and compared, beside
     * iproute2 listing the same routes ({@code ip -4 route show proto 200}), then one with a tenth of the routes
     * deleted behind the installer's back.
     */
    private static void repair(NetNs ns, RouteInstaller r, int n, boolean print) {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long l0 = System.nanoTime();
        ns.exec(Duration.ofMinutes(2), "ip", "-4", "route", "show", "proto", "200")
                .check();
        long l1 = System.nanoTime();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long bytes0 = threads.getThreadAllocatedBytes(id);
        long r0 = System.nanoTime();
        int refused = r.repair().size();
        long r1 = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        long bytes = threads.getThreadAllocatedBytes(id) - bytes0;
        StringBuilder del = new StringBuilder();
        int lost = n / 10;
        for (int i = 0; i < lost; i++) {
            del.append("route del ").append(prefix(i * 10)).append(" proto 200 metric 20\n");
        }
        try {
            Path file = Files.createTempFile("krb-lose", ".batch");
            Files.writeString(file, del);
            ns.exec(Duration.ofMinutes(10), "ip", "-batch", file.toString()).check();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long p0 = System.nanoTime();
        refused += r.repair().size();
        long p1 = System.nanoTime();
        check(ns, n);
        if (refused > 0) {
            throw new IllegalStateException(refused + " repairs refused");
        }
        if (print) {
            System.out.printf(
                    Locale.ROOT,
                    "%-40s %,8d routes: ip route show %,7.1f ms; repair, nothing lost %,7.1f ms (thread CPU %,7.1f ms,"
                            + " allocated %,6.1f MiB); repair of %,d lost %,7.1f ms%n",
                    "meshgw RouteInstaller.repair()",
                    n,
                    (l1 - l0) / 1e6,
                    (r1 - r0) / 1e6,
                    cpu / 1e6,
                    bytes / 1048576.0,
                    lost,
                    (p1 - p0) / 1e6);
        }
    }

    private static void check(NetNs ns, int expected) {
        long lines = ns.exec(Duration.ofMinutes(2), "ip", "-4", "route", "show", "proto", "200")
                .check()
                .stdout()
                .lines()
                .filter(l -> !l.startsWith("\t") && !l.isBlank())
                .count();
        if (lines != expected) {
            throw new IllegalStateException(
                    "expected " + expected + " routes of protocol 200, the table holds " + lines);
        }
    }

    private static void report(boolean print, String what, int n, long addNanos, long removeNanos) {
        if (print) {
            System.out.printf(
                    Locale.ROOT,
                    "%-40s %,8d routes: install %,9.1f ms (%,6.0f routes/s), remove %,9.1f ms (%,6.0f routes/s)%n",
                    what,
                    n,
                    addNanos / 1e6,
                    n / (addNanos / 1e9),
                    removeNanos / 1e6,
                    n / (removeNanos / 1e9));
        }
    }
}
