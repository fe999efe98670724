package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.WEST;
import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.pod;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static io.meshgw.operator.desired.Fixtures.withRequestedVip;
import static io.meshgw.operator.desired.Fixtures.withStatusVip;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A planner that remembers the last pass must plan exactly what a fresh one plans: each step below changes one input
 * the way an informer does (a new instance for a changed object, the same instance otherwise), and after every step
 * the remembered plan must equal the fresh one.
 */
class RememberingPlannerTest {

    private static final int SERVICES = 12;

    @ParameterizedTest(name = "{0} services")
    @ValueSource(ints = {SERVICES, 300})
    void aRememberingPlannerPlansWhatAFreshOnePlansAfterEveryKindOfChange(int size) {
        for (long seed = 1; seed <= 10; seed++) {
            var world = new World(new Random(seed), size);
            var planner = new Planner();
            for (int step = 0; step < 60; step++) {
                world.change();
                var snapshot = world.snapshot();
                assertThat(planner.next(snapshot))
                        .as("seed %d step %d after %s", seed, step, world.last)
                        .isEqualTo(Planner.plan(snapshot));
            }
        }
    }

    @Test
    void anUnchangedExportKeepsItsTranslationInstanceAndAChangedOneGetsANewOne() {
        var world = new World(new Random(7), SERVICES);
        var planner = new Planner();
        var first = planner.next(world.snapshot());
        world.slices.set(3, slice("shop", "svc-3", "http", 8080, "10.10.3.99"));
        var second = planner.next(world.snapshot());

        var three = new ObjectKey("shop", "svc-3");
        var four = new ObjectKey("shop", "svc-4");
        assertThat(second.translations().get(four))
                .isSameAs(first.translations().get(four));
        assertThat(second.translations().get(three))
                .isNotSameAs(first.translations().get(three));
        assertThat(second.translations().get(three).ports().getFirst().backends())
                .extracting(b -> b.address().toString())
                .contains("10.10.3.99");
    }

    /**
     * Exports, Services, slices, pools, remote exports and EgressIdentities, changed one at a time, and the lists
     * handed over in another order now and then, as an informer's cache may list them.
     */
    private static final class World {
        private final Random random;
        private final int size;
        private final List<EgressIdentity> identities = new ArrayList<>();
        private final List<Pod> pods = List.of(pod("shop", "p1", "billing", Map.of(), "10.9.0.1"));
        private final List<MeshServiceExport> exports = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<EndpointSlice> slices = new ArrayList<>();
        private final List<RemoteExport> remotes = new ArrayList<>();
        private LegacyVipPool pool = vipPool("vips", "198.51.100.0/28");
        private final EgressIpPool egressPool = egressPool("egress", "192.0.2.0/29");
        private Capabilities capabilities = Capabilities.DATAPATH;
        private String last = "nothing";

        World(Random random, int size) {
            this.random = random;
            this.size = size;
            if (size > SERVICES) {
                pool = vipPool("vips", "198.51.100.0/24");
            }
            for (int i = 0; i < size; i++) {
                exports.add(export("shop", "svc-" + i, i, "vips"));
                services.add(service("shop", "svc-" + i, "http", 80));
                slices.add(slice("shop", "svc-" + i, "http", 8080, ip(1, i, "1")));
            }
        }

        void change() {
            int i = random.nextInt(size);
            switch (random.nextInt(16)) {
                case 0 -> {
                    replace(
                            slices,
                            "svc-" + i + "-http-1",
                            slice("shop", "svc-" + i, "http", 8080, ip(1, i, String.valueOf(2 + random.nextInt(9)))));
                    last = "a new slice of svc-" + i;
                }
                case 1 -> {
                    replace(slices, "svc-" + i + "-http-1", slice("shop", "svc-" + i, "http", 8080, ip(1, i, "1!")));
                    last = "svc-" + i + "'s endpoint not ready";
                }
                case 2 -> {
                    exports.removeIf(e -> e.getMetadata().getName().equals("svc-" + i));
                    last = "export svc-" + i + " deleted";
                }
                case 3 -> {
                    if (exports.stream()
                            .noneMatch(e -> e.getMetadata().getName().equals("svc-" + i))) {
                        exports.add(export("shop", "svc-" + i, 100 + random.nextInt(50), "vips"));
                    }
                    last = "export svc-" + i + " back";
                }
                case 4 -> {
                    replace(services, "svc-" + i, service("shop", "svc-" + i, "http", 80 + random.nextInt(2)));
                    last = "Service svc-" + i + " changed";
                }
                case 5 -> {
                    remotes.removeIf(r -> r.service().name().equals("svc-" + i));
                    remotes.add(new RemoteExport(
                            WEST,
                            new ObjectKey("shop", "svc-" + i),
                            Instant.EPOCH.plusSeconds(random.nextInt(100)),
                            List.of(new ServicePort("http", Protocol.TCP, 80 + random.nextInt(2))),
                            List.of(new RemoteExport.RemoteEndpoints(
                                    "http",
                                    Protocol.TCP,
                                    9090,
                                    List.of(IpAddress.parse(ip(2, i, String.valueOf(1 + random.nextInt(3)))))))));
                    last = "west's export of svc-" + i;
                }
                case 6 -> {
                    var base = size > SERVICES ? "198.51.100.0/24" : "198.51.100.0/28";
                    pool = random.nextBoolean() ? vipPool("vips", base) : vipPool("vips", base, "203.0.113.0/30");
                    last = "the pool changed";
                }
                case 9 -> {
                    replaceExport(i, e -> withStatusVip(e, "198.51.100." + random.nextInt(16)));
                    last = "export svc-" + i + " got a status";
                }
                case 10 -> {
                    replaceExport(i, e -> withRequestedVip(e, "198.51.100." + random.nextInt(16)));
                    last = "export svc-" + i + " requests a VIP";
                }
                case 11 -> {
                    replaceExport(i, e -> {
                        e.getMetadata().setDeletionTimestamp("2026-02-01T00:00:00Z");
                        return e;
                    });
                    last = "export svc-" + i + " is being deleted";
                }
                case 12 -> {
                    java.util.Collections.shuffle(exports, random);
                    java.util.Collections.shuffle(services, random);
                    java.util.Collections.shuffle(slices, random);
                    last = "the caches listed in another order";
                }
                case 13 -> {
                    if (identities.isEmpty()) {
                        identities.add(egressIdentity("shop", "billing", 1, "egress"));
                    } else {
                        identities.clear();
                    }
                    last = "an EgressIdentity came or went";
                }
                case 14 -> {
                    slices.add(slice("shop", "svc-" + i, "http", 8080, ip(3, i, String.valueOf(random.nextInt(9)))));
                    slices.getLast().getMetadata().setName("svc-" + i + "-" + random.nextInt(1000));
                    last = "another slice of svc-" + i;
                }
                case 15 -> {
                    remotes.add(new RemoteExport(
                            EAST,
                            new ObjectKey("shop", "svc-" + i),
                            Instant.EPOCH,
                            List.of(new ServicePort("http", Protocol.TCP, 80)),
                            List.of()));
                    last = "this cluster's own export of svc-" + i + " read back";
                }
                case 7 -> {
                    capabilities = random.nextBoolean()
                            ? Capabilities.DATAPATH
                            : new Capabilities(
                                    Set.of(IpFamily.IPV4),
                                    Set.of(IpFamily.IPV4),
                                    Set.of(Protocol.TCP, Protocol.UDP),
                                    1,
                                    Set.of(Protocol.TCP));
                    last = "the capabilities changed";
                }
                default -> last = "nothing";
            }
        }

        /** An address of service i, unique per base: 10.(10*base + i/250).(i%250).host. */
        private static String ip(int base, int i, String host) {
            return "10." + (10 * base + i / 250) + "." + (i % 250) + "." + host;
        }

        /** Replaces the object of this name (the first, for slices), as an informer does when it changes. */
        private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> void replace(
                List<T> list, String name, T object) {
            for (int at = 0; at < list.size(); at++) {
                if (list.get(at).getMetadata().getName().equals(name)) {
                    list.set(at, object);
                    return;
                }
            }
            list.add(object);
        }

        /** A new instance of export svc-i, as the API server hands out after an update; same age and key. */
        private void replaceExport(int i, java.util.function.UnaryOperator<MeshServiceExport> change) {
            for (int at = 0; at < exports.size(); at++) {
                var e = exports.get(at);
                if (e.getMetadata().getName().equals("svc-" + i)) {
                    var copy = export("shop", "svc-" + i, 0, "vips");
                    copy.getMetadata().setCreationTimestamp(e.getMetadata().getCreationTimestamp());
                    if (e.getSpec().legacy != null)
                        copy.getSpec().legacy.requestedVip = e.getSpec().legacy.requestedVip;
                    copy.setStatus(e.getStatus());
                    exports.set(at, change.apply(copy));
                    return;
                }
            }
        }

        Snapshot snapshot() {
            return Snapshot.builder(EAST)
                    .vipPools(List.of(pool))
                    .egressPools(List.of(egressPool))
                    .egressIdentities(identities)
                    .pods(pods)
                    .exports(exports)
                    .services(services)
                    .endpointSlices(slices)
                    .remoteExports(remotes)
                    .capabilities(capabilities)
                    .build();
        }
    }
}
