package io.meshgw.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bpf.datapath.Datapath;
import io.meshgw.bpf.datapath.DatapathOptions;
import io.meshgw.gateway.bgp.BgpAdapter;
import io.meshgw.gateway.datapath.DatapathAdapter;
import io.meshgw.gateway.datapath.DatapathTables;
import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.MeshServiceExportSpec;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.NamesTarget;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PassObserver;
import io.meshgw.operator.reconcile.PlanApplier;
import io.meshgw.types.ClusterId;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The control plane's pass, in process, on the real engines: a tc datapath loaded detached (kernel maps, no
 * interface) and a BGP speaker that originates the VIPs. Two figures: one pass that takes a table of N exported
 * services from empty to applied (plan, maps, announcements), and one changed service (one EndpointSlice) in a
 * table of M, applied end to end: wall time, the pass thread's CPU time, and the whole process's CPU time per change.
 *
 * <p>Usage: {@code ControlPlaneBench <N=10000> <M=65536> <changes=50>}. Needs CAP_BPF (root).
 */
public final class ControlPlaneBench {

    private static final ClusterId EAST = new ClusterId(1, "east");
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private ControlPlaneBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : 65_536;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        // The gateway's classes log through JBoss Logging, here onto java.util.logging: only warnings, as in a run.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        try (Datapath datapath = Datapath.open(DatapathOptions.detached());
                BgpSpeaker speaker = BgpSpeaker.start(
                        new SpeakerConfig(65000, 0x0a000001L, InetAddress.ofLiteral("127.0.0.1"), 0))) {
            var applier = new PlanApplier(new GatewayPorts(
                    new BgpAdapter(() -> Optional.of(speaker), Set::of, () -> 65000),
                    new DatapathAdapter(DatapathTables.of(datapath)),
                    MeshTarget.NONE,
                    NamesTarget.NONE,
                    Capabilities.DATAPATH,
                    PassObserver.NONE));

            Table small = new Table(n);
            Measured first = pass(small, applier);
            System.out.printf(
                    "control plane, one pass of %,d exports from empty: %.0f ms wall (plan %.0f ms), %.0f ms cpu of the pass's thread;"
                            + " %d VIPs originated%n",
                    n,
                    first.wallMs,
                    first.planMs,
                    first.cpuMs,
                    speaker.originated().size());
            pass(new Table(0), applier);

            Table large = new Table(m);
            Measured fill = pass(large, applier);
            System.out.printf(
                    "control plane, %,d exports from empty: %.0f ms wall, %.0f ms cpu of the pass's thread%n",
                    m, fill.wallMs, fill.cpuMs);
            double[] wall = new double[changes];
            double[] cpu = new double[changes];
            double[] plan = new double[changes];
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long processCpu0 = os.getProcessCpuTime();
            for (int i = 0; i < changes; i++) {
                large.changeOne(i);
                Measured one = pass(large, applier);
                wall[i] = one.wallMs;
                cpu[i] = one.cpuMs;
                plan[i] = one.planMs;
            }
            double processCpuPerChange = (os.getProcessCpuTime() - processCpu0) / 1e6 / changes;
            System.out.printf(
                    "control plane, one changed service in %,d (%d changes): wall p50 %.2f ms p90 %.2f ms p99 %.1f ms,"
                            + " plan p50 %.2f ms; cpu of the pass's thread p50 %.2f ms p99 %.1f ms; cpu of the whole"
                            + " process (speaker, GC and JIT threads included) %.2f ms per change%n",
                    m,
                    changes,
                    pct(wall, 50),
                    pct(wall, 90),
                    pct(wall, 99),
                    pct(plan, 50),
                    pct(cpu, 50),
                    pct(cpu, 99),
                    processCpuPerChange);
            pass(new Table(0), applier);
        }
    }

    private record Measured(double wallMs, double planMs, double cpuMs) {}

    /** The gateway's passes run on one planner, which remembers the last pass. */
    private static final Planner PLANNER = new Planner();

    /**
     * One pass: wall time, the planner's part of it, and the CPU time of the thread that runs it (nanosecond
     * resolution; the process's CPU time moves in clock ticks of 10 ms, so it is only summed over many passes).
     */
    private static Measured pass(Table table, PlanApplier applier) {
        var threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Plan plan = PLANNER.next(table.snapshot());
        long t1 = System.nanoTime();
        applier.apply(plan);
        long t2 = System.nanoTime();
        long cpu1 = threads.getCurrentThreadCpuTime();
        return new Measured((t2 - t0) / 1e6, (t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /**
     * N exported Services with one TCP port and two ready endpoints each, VIPs from one pool. The objects are kept,
     * as an informer cache keeps them, so an unchanged object is the same instance in every snapshot.
     */
    private static final class Table {
        private final LegacyVipPool pool;
        private final List<MeshServiceExport> exports = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<EndpointSlice> slices = new ArrayList<>();

        Table(int n) {
            pool = meta(new LegacyVipPool(), null, "vips", 0);
            var spec = new AddressPoolSpec();
            spec.cidrs = new ArrayList<>(List.of("198.18.0.0/15"));
            pool.setSpec(spec);
            for (int i = 0; i < n; i++) {
                String name = "svc-" + i;
                var export = meta(new MeshServiceExport(), "bench", name, i);
                export.setSpec(new MeshServiceExportSpec());
                export.getSpec().legacy = new MeshServiceExportSpec.LegacyExposure();
                export.getSpec().legacy.poolRef = "vips";
                exports.add(export);
                services.add(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("bench")
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .addNewPort()
                        .withName("http")
                        .withProtocol("TCP")
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build());
                slices.add(slice(name, i, 0));
            }
        }

        /** A new EndpointSlice object for one service: one endpoint moved, as a pod restart does. */
        void changeOne(int step) {
            int i = (step * 7919) % slices.size();
            slices.set(i, slice("svc-" + i, i, step + 1));
        }

        Snapshot snapshot() {
            return Snapshot.builder(EAST)
                    .vipPools(List.of(pool))
                    .exports(exports)
                    .services(services)
                    .endpointSlices(slices)
                    .capabilities(Capabilities.DATAPATH)
                    .build();
        }

        private static EndpointSlice slice(String service, int i, int generation) {
            return new EndpointSliceBuilder()
                    .withNewMetadata()
                    .withNamespace("bench")
                    .withName(service + "-abc")
                    .withLabels(Map.of("kubernetes.io/service-name", service))
                    .endMetadata()
                    .withAddressType("IPv4")
                    .addNewPort()
                    .withName("http")
                    .withProtocol("TCP")
                    .withPort(8080)
                    .endPort()
                    .addToEndpoints(endpoint(address(i, 0, generation)), endpoint(address(i, 1, 0)))
                    .build();
        }

        private static String address(int i, int which, int generation) {
            int v = 0x0a000000 + (i * 2 + which) + generation * 0x20000;
            return (v >>> 24 & 0xff) + "." + (v >>> 16 & 0xff) + "." + (v >>> 8 & 0xff) + "." + (v & 0xff);
        }

        private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String address) {
            return new EndpointBuilder()
                    .withAddresses(address)
                    .withNewConditions()
                    .withReady(true)
                    .endConditions()
                    .build();
        }

        private static <T extends HasMetadata> T meta(T object, String ns, String name, int age) {
            object.setMetadata(new ObjectMetaBuilder()
                    .withNamespace(ns)
                    .withName(name)
                    .withGeneration(1L)
                    .withCreationTimestamp(T0.plusSeconds(age).toString())
                    .build());
            return object;
        }
    }
}
