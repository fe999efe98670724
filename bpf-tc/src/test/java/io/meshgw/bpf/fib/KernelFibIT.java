package io.meshgw.bpf.fib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link KernelFib} against a real kernel routing table in a namespace with one link (10.9.0.1/24, fd09::1/64):
 * routes read back as written, ECMP, replace and removal, the kernel's refusals, and other protocols' routes left
 * alone. {@code ip route} checks what the kernel holds.
 */
class KernelFibIT {

    private static final IpAddress GW2 = IpAddress.parse("10.9.0.2");
    private static final IpAddress GW3 = IpAddress.parse("10.9.0.3");

    @BeforeAll
    static void requireNamespaces() {
        assumeTrue(NetNs.available(), "needs root and iproute2 to create network namespaces");
        NetNs.removeStale();
    }

    private static NetNs namespace(String label) {
        NetNs ns = NetNs.create(label);
        ns.exec("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1").check();
        ns.exec("ip", "link", "set", "v0", "up").check();
        ns.exec("ip", "link", "set", "v1", "up").check();
        ns.exec("ip", "addr", "add", "10.9.0.1/24", "dev", "v0").check();
        ns.exec("ip", "addr", "add", "fd09::1/64", "dev", "v0", "nodad").check();
        return ns;
    }

    /** The i-th /24 from 172.16.0.0. */
    static IpPrefix slash24(int i) {
        return IpPrefix.of(IpAddress.of(new byte[] {(byte) 172, (byte) (16 + (i >> 8)), (byte) i, 0}), 24);
    }

    private static KernelRoute route(String prefix, IpAddress... gateways) {
        return new KernelRoute(IpPrefix.parse(prefix), List.of(gateways));
    }

    @Test
    void routesAreWrittenReadBackReplacedAndRemovedInTheirOwnTable() {
        try (NetNs ns = namespace("fib")) {
            try (KernelFib fib = ThreadNetns.call(
                    ns, () -> KernelFib.open(FibOptions.defaults().withTable(1000)))) {
                KernelRoute single = route("10.1.0.0/24", GW2);
                KernelRoute ecmp = route("10.2.0.0/16", GW2, GW3);
                KernelRoute v6 = route("fd10::/48", IpAddress.parse("fd09::2"), IpAddress.parse("fd09::3"));
                assertThat(fib.apply(List.of(
                                new RouteChange.Add(single), new RouteChange.Add(ecmp), new RouteChange.Add(v6))))
                        .isEmpty();
                assertThat(fib.read()).containsExactlyInAnyOrder(single, ecmp, v6);
                assertThat(ns.exec("ip", "route", "show", "table", "1000", "10.2.0.0/16")
                                .check()
                                .stdout())
                        .contains(
                                "proto 200", "metric 20", "nexthop via 10.9.0.2 dev v0", "nexthop via 10.9.0.3 dev v0");

                KernelRoute moved = route("10.1.0.0/24", GW3);
                assertThat(fib.apply(List.of(
                                new RouteChange.Replace(moved), new RouteChange.Remove(IpPrefix.parse("10.2.0.0/16")))))
                        .isEmpty();
                assertThat(fib.read()).containsExactlyInAnyOrder(moved, v6);
                assertThat(fib.apply(List.of(new RouteChange.Remove(IpPrefix.parse("10.2.0.0/16")))))
                        .as("removing a route that is gone is not a failure")
                        .isEmpty();
            }
        }
    }

    @Test
    void theKernelsRefusalsAreReturnedPerRouteAndOtherProtocolsRoutesAreUntouched() {
        try (NetNs ns = namespace("fibx")) {
            ns.exec("ip", "route", "add", "10.3.0.0/24", "via", "10.9.0.2", "proto", "static", "metric", "20")
                    .check();
            ns.exec("ip", "route", "add", "10.4.0.0/24", "via", "10.9.0.3", "proto", "bird")
                    .check();
            try (KernelFib fib = ThreadNetns.call(ns, () -> KernelFib.open(FibOptions.defaults()))) {
                List<RouteFailure> refused = fib.apply(List.of(
                        new RouteChange.Add(route("10.3.0.0/24", GW3)),
                        new RouteChange.Add(route("10.5.0.0/24", IpAddress.parse("192.0.2.1"))),
                        new RouteChange.Add(route("10.6.0.0/24", GW2)),
                        new RouteChange.Remove(IpPrefix.parse("10.4.0.0/24"))));
                assertThat(refused).extracting(RouteFailure::errnoName).containsExactly("EEXIST", "ENETUNREACH");
                assertThat(refused.get(1).reason()).as("the kernel's own text").contains("gateway");
                assertThat(fib.read()).containsExactly(route("10.6.0.0/24", GW2));
                String table = ns.exec("ip", "route", "show").check().stdout();
                assertThat(table)
                        .contains("10.3.0.0/24 via 10.9.0.2 dev v0 proto static metric 20")
                        .contains("10.4.0.0/24 via 10.9.0.3 dev v0 proto bird");
                assertThat(fib.apply(List.of(new RouteChange.Remove(IpPrefix.parse("10.3.0.0/24")))))
                        .isEmpty();
                assertThat(ns.exec("ip", "route", "show").check().stdout())
                        .as("a removal names meshgw's protocol: the static route stays")
                        .contains("10.3.0.0/24 via 10.9.0.2");
            }
        }
    }

    @Test
    void anIpv4RouteThroughIpv6NextHopsIsInstalledViaInet6AndReadsBack() {
        try (NetNs ns = namespace("fib6")) {
            try (KernelFib fib = ThreadNetns.call(
                    ns, () -> KernelFib.open(FibOptions.defaults().withTable(1000)))) {
                KernelRoute single = route("10.11.0.0/24", IpAddress.parse("fd09::2"));
                KernelRoute mixed = route("10.12.0.0/24", GW2, IpAddress.parse("fd09::3"));
                assertThat(fib.apply(List.of(new RouteChange.Add(single), new RouteChange.Add(mixed))))
                        .isEmpty();
                assertThat(fib.read()).containsExactlyInAnyOrder(single, mixed);
                assertThat(ns.exec("ip", "route", "show", "table", "1000", "10.11.0.0/24")
                                .check()
                                .stdout())
                        .contains("via inet6 fd09::2 dev v0", "proto 200");
                assertThat(ns.exec("ip", "route", "show", "table", "1000", "10.12.0.0/24")
                                .check()
                                .stdout())
                        .contains("nexthop via 10.9.0.2 dev v0", "nexthop via inet6 fd09::3 dev v0");
            }
        }
    }

    @Test
    void aPreviousConfigurationsMetricIsRemovedOnOpen() {
        try (NetNs ns = namespace("fibm")) {
            ns.exec("ip", "route", "add", "10.7.0.0/24", "via", "10.9.0.2", "proto", "200", "metric", "50")
                    .check();
            try (KernelFib fib = ThreadNetns.call(ns, () -> KernelFib.open(FibOptions.defaults()))) {
                assertThat(fib.read()).isEmpty();
                assertThat(ns.exec("ip", "route", "show", "10.7.0.0/24").check().stdout())
                        .isBlank();
            }
        }
    }

    @Test
    void tenThousandRoutesInBatchesAllArrive() {
        try (NetNs ns = namespace("fibn")) {
            try (KernelFib fib = ThreadNetns.call(ns, () -> KernelFib.open(FibOptions.defaults()))) {
                List<RouteChange> adds = new ArrayList<>();
                for (int i = 0; i < 10_000; i++) {
                    adds.add(new RouteChange.Add(new KernelRoute(slash24(i), List.of(i % 2 == 0 ? GW2 : GW3))));
                }
                assertThat(fib.apply(adds)).isEmpty();
                assertThat(fib.read()).hasSize(10_000);
            }
        }
    }
}
