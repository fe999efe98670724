package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.EAST;
import static io.meshgw.operator.desired.Fixtures.WEST;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
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
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A planner that remembers the last pass must plan exactly what a fresh one plans: each step below changes one input
 * the way an informer does (a new instance for a changed object, the same instance otherwise), and after every step
 * the remembered plan must equal the fresh one.
 */
class RememberingPlannerTest {

    private static final int SERVICES = 12;

    @Test
    void aRememberingPlannerPlansWhatAFreshOnePlansAfterEveryKindOfChange() {
        for (long seed = 1; seed <= 10; seed++) {
            var world = new World(new Random(seed));
            var planner = new Planner();
            for (int step = 0; step < 40; step++) {
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
        var world = new World(new Random(7));
        var planner = new Planner();
        var first = planner.next(world.snapshot());
        world.slices.set(3, slice("shop", "svc-3", "http", 8080, "10.1.3.99"));
        var second = planner.next(world.snapshot());

        var three = new ObjectKey("shop", "svc-3");
        var four = new ObjectKey("shop", "svc-4");
        assertThat(second.translations().get(four))
                .isSameAs(first.translations().get(four));
        assertThat(second.translations().get(three))
                .isNotSameAs(first.translations().get(three));
        assertThat(second.translations().get(three).ports().getFirst().backends())
                .extracting(b -> b.address().toString())
                .contains("10.1.3.99");
    }

    /** Exports, Services, slices, a pool and remote exports, changed one at a time. */
    private static final class World {
        private final Random random;
        private final List<MeshServiceExport> exports = new ArrayList<>();
        private final List<Service> services = new ArrayList<>();
        private final List<EndpointSlice> slices = new ArrayList<>();
        private final List<RemoteExport> remotes = new ArrayList<>();
        private LegacyVipPool pool = vipPool("vips", "198.51.100.0/28");
        private Capabilities capabilities = Capabilities.DATAPATH;
        private String last = "nothing";

        World(Random random) {
            this.random = random;
            for (int i = 0; i < SERVICES; i++) {
                exports.add(export("shop", "svc-" + i, i, "vips"));
                services.add(service("shop", "svc-" + i, "http", 80));
                slices.add(slice("shop", "svc-" + i, "http", 8080, "10.1." + i + ".1"));
            }
        }

        void change() {
            int i = random.nextInt(SERVICES);
            switch (random.nextInt(9)) {
                case 0 -> {
                    slices.set(i, slice("shop", "svc-" + i, "http", 8080, "10.1." + i + "." + (2 + random.nextInt(9))));
                    last = "a new slice of svc-" + i;
                }
                case 1 -> {
                    slices.set(i, slice("shop", "svc-" + i, "http", 8080, "10.1." + i + ".1!"));
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
                    services.set(i, service("shop", "svc-" + i, "http", 80 + random.nextInt(2)));
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
                                    List.of(IpAddress.parse("10.2." + i + "." + (1 + random.nextInt(3))))))));
                    last = "west's export of svc-" + i;
                }
                case 6 -> {
                    pool = random.nextBoolean()
                            ? vipPool("vips", "198.51.100.0/28")
                            : vipPool("vips", "198.51.100.0/28", "203.0.113.0/30");
                    last = "the pool changed";
                }
                case 7 -> {
                    capabilities = random.nextBoolean()
                            ? Capabilities.DATAPATH
                            : new Capabilities(
                                    Set.of(IpFamily.IPV4), Set.of(Protocol.TCP, Protocol.UDP), 1, Set.of(Protocol.TCP));
                    last = "the capabilities changed";
                }
                default -> last = "nothing";
            }
        }

        Snapshot snapshot() {
            return Snapshot.builder(EAST)
                    .vipPools(List.of(pool))
                    .exports(exports)
                    .services(services)
                    .endpointSlices(slices)
                    .remoteExports(remotes)
                    .capabilities(capabilities)
                    .build();
        }
    }
}
