package io.meshgw.gateway;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.MeshServiceExportSpec;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.BgpControl;
import io.meshgw.operator.port.BgpSessions;
import io.meshgw.operator.port.DatapathControl;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.MeshControl;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PortApplier;
import io.smallrye.config.WithDefault;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The control-plane benchmark's scenario on the code before the typed plan (the baseline of
 * scripts/bench-control.sh, compiled into a worktree of that commit): the operator's desired
 * state applied through PortApplier to the gateway's BgpPort and DatapathPort as ControlPlane
 * wired them, on a real tc datapath loaded detached and a real speaker. The DatapathPort's
 * pending writes are flushed before a pass is counted as done.
 */
public final class ControlPlaneBaseline {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        int changes = Integer.parseInt(args[2]);
        GatewayConfig config = config(Map.of(
                "datapath.enabled", "true",
                "datapath.pin-root", "none",
                "bgp.router-id", "10.0.0.1",
                "bgp.listen-address", "127.0.0.1",
                "bgp.port", "0",
                "cluster.id", "1",
                "cluster.name", "east"));
        Object datapathService = make("io.meshgw.gateway.datapath.DatapathService", config);
        call(datapathService, "onStart", (Object) null);
        Object bgpService = make("io.meshgw.gateway.bgp.BgpService", config);
        call(bgpService, "onStart", (Object) null);
        Object bgpPort = make("io.meshgw.gateway.bgp.BgpPort", bgpService);
        Object datapathPort = make("io.meshgw.gateway.datapath.DatapathPort", datapathService, config);
        Runnable flush = () -> call(datapathPort, "flush");
        call(bgpPort, "beforeAnnounce", flush);
        call(datapathPort, "release");
        var applier = new PortApplier(new GatewayPorts(
                (BgpControl) bgpPort, (BgpSessions) bgpPort, (DatapathControl) datapathPort, new NoMesh()));

        Measured first = pass(new Table(n), applier, flush);
        System.out.printf(
                "control plane, one pass of %,d exports from empty: %.0f ms wall, %.0f ms cpu%n",
                n, first.wallMs, first.cpuMs);
        pass(new Table(0), applier, flush);
        Table large = new Table(m);
        Measured fill = pass(large, applier, flush);
        System.out.printf(
                "control plane, %,d exports from empty: %.0f ms wall, %.0f ms cpu%n", m, fill.wallMs, fill.cpuMs);
        double[] wall = new double[changes];
        double[] cpu = new double[changes];
        for (int i = 0; i < changes; i++) {
            large.changeOne(i);
            Measured one = pass(large, applier, flush);
            wall[i] = one.wallMs;
            cpu[i] = one.cpuMs;
        }
        System.out.printf(
                "control plane, one changed service in %,d (%d changes): wall p50 %.1f ms p99 %.1f ms,"
                        + " cpu p50 %.1f ms p99 %.1f ms%n",
                m, changes, pct(wall, 50), pct(wall, 99), pct(cpu, 50), pct(cpu, 99));
        pass(new Table(0), applier, flush);
        call(bgpService, "onStop", (Object) null);
        call(datapathService, "onStop", (Object) null);
        System.exit(0);
    }

    private record Measured(double wallMs, double cpuMs) {}

    private static Measured pass(Table table, PortApplier applier, Runnable flush) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        applier.apply(table.snapshot());
        flush.run();
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        return new Measured((t1 - t0) / 1e6, (cpu1 - cpu0) / 1e6);
    }

    private static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static final class NoMesh implements MeshControl {
        private final Map<ObjectKey, ExportedService> published = new java.util.TreeMap<>();

        @Override
        public void publish(ExportedService service) {
            published.put(service.service(), service);
        }

        @Override
        public void unpublish(ObjectKey service) {
            published.remove(service);
        }

        @Override
        public Map<ObjectKey, ExportedService> published() {
            return Map.copyOf(published);
        }

        @Override
        public List<RemoteExport> remoteExports() {
            return List.of();
        }
    }

    private static Object make(String className, Object... args) throws Exception {
        for (Constructor<?> c : Class.forName(className).getDeclaredConstructors()) {
            if (c.getParameterCount() == args.length) {
                c.setAccessible(true);
                return c.newInstance(args);
            }
        }
        throw new IllegalStateException("no constructor of " + className + " with " + args.length + " parameters");
    }

    private static void call(Object target, String method, Object... args) {
        for (Method mth : target.getClass().getDeclaredMethods()) {
            if (mth.getName().equals(method) && mth.getParameterCount() == args.length) {
                try {
                    mth.setAccessible(true);
                    mth.invoke(target, args);
                    return;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(method, e);
                }
            }
        }
        throw new IllegalStateException("no method " + method);
    }

    /** The configuration interface answered from {@code values} (kebab-case keys) and its own defaults. */
    @SuppressWarnings("unchecked")
    static <T> T config(Map<String, String> values) {
        return (T) proxy(GatewayConfig.class, "", values);
    }

    private static Object proxy(Class<?> type, String prefix, Map<String, String> values) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, a) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? prefix : method.invoke(values, a);
            }
            String key = prefix + kebab(method.getName());
            Class<?> r = method.getReturnType();
            String text = values.get(key);
            if (text == null && method.getAnnotation(WithDefault.class) != null) {
                text = method.getAnnotation(WithDefault.class).value();
            }
            if (r.isInterface() && r != Map.class) {
                return proxy(r, key + ".", values);
            }
            if (r == Map.class) {
                return Map.of();
            }
            if (r == Optional.class) {
                return Optional.ofNullable(text);
            }
            if (r == OptionalInt.class) {
                return text == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(text));
            }
            if (r == boolean.class) {
                return Boolean.parseBoolean(text);
            }
            if (r == int.class) {
                return Integer.parseInt(text);
            }
            if (r == long.class) {
                return Long.parseLong(text);
            }
            return text;
        });
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

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

        void changeOne(int step) {
            int i = (step * 7919) % slices.size();
            slices.set(i, slice("svc-" + i, i, step + 1));
        }

        Snapshot snapshot() {
            return Snapshot.builder("east")
                    .vipPools(List.of(pool))
                    .exports(exports)
                    .services(services)
                    .endpointSlices(slices)
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
