package io.meshgw.operator.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MeshTarget} does, whatever carries the state between clusters. The operator's {@link FakeMesh}
 * and the gateway's mesh service (over mesh-sync's publisher, reader view and an in-memory topic) both run these
 * tests, so the fake the operator's tests trust cannot drift from what the other clusters really read.
 *
 * <p>A subclass gives the target (this cluster is {@link #EAST}), reads back what another cluster reads of this
 * cluster's exports, and plays the other clusters. Every port of the samples has one target port, as a Service's
 * endpoints usually have.
 */
public abstract class MeshTargetContract {
    protected static final ClusterId EAST = new ClusterId(1, "east");
    protected static final ClusterId WEST = new ClusterId(2, "west");
    protected static final ClusterId NORTH = new ClusterId(3, "north");

    /** The ready endpoints of one exported port, as a reading cluster gets them. */
    public record Endpoints(String portName, Protocol protocol, int targetPort, Set<IpAddress> ready) {
        public Endpoints {
            ready = Set.copyOf(ready);
        }

        public static Endpoints of(RemoteExport.RemoteEndpoints e) {
            return new Endpoints(e.portName(), e.protocol(), e.targetPort(), new LinkedHashSet<>(e.ready()));
        }

        static Endpoints of(PortTranslation p) {
            int target = p.backends().isEmpty()
                    ? p.port().port()
                    : p.backends().getFirst().port();
            return new Endpoints(
                    p.port().name(),
                    p.port().protocol(),
                    target,
                    p.backends().stream().map(Backend::address).collect(Collectors.toSet()));
        }
    }

    /** One export of this cluster as another cluster reads it. */
    public record Published(
            Instant exportedAt, Optional<IpAddress> vip, List<ServicePort> ports, Set<Endpoints> endpoints) {
        public Published {
            ports = List.copyOf(ports);
            endpoints = Set.copyOf(endpoints);
        }

        static Published of(ExportedService e) {
            return new Published(
                    e.exportedAt(),
                    e.vip(),
                    e.ports().stream().map(PortTranslation::port).toList(),
                    e.ports().stream().map(Endpoints::of).collect(Collectors.toSet()));
        }
    }

    /** Another cluster's export as a pass reads it. */
    record Remote(
            ClusterId cluster,
            ObjectKey service,
            Instant exportedAt,
            List<ServicePort> ports,
            Set<Endpoints> endpoints) {
        static Remote of(RemoteExport r) {
            return new Remote(
                    r.cluster(),
                    r.service(),
                    r.exportedAt(),
                    r.ports(),
                    r.endpoints().stream().map(Endpoints::of).collect(Collectors.toSet()));
        }

        static Remote of(ClusterId cluster, ExportedService e) {
            var published = Published.of(e);
            return new Remote(cluster, e.service(), e.exportedAt(), published.ports(), published.endpoints());
        }
    }

    /** The target under test, as cluster {@link #EAST}, having published nothing yet. */
    protected abstract MeshTarget target();

    /** What another cluster reads of this cluster's exports now, by Service. */
    protected abstract Map<ObjectKey, Published> published();

    /** How many changes to its exports the target has written so far; only a comparison of two counts matters. */
    protected abstract long writes();

    /**
     * A new instance of the target takes over from this one on the same topic, as a restarted gateway does; later
     * calls to {@link #target} return it.
     */
    protected abstract void restart();

    /** {@code cluster} publishes exactly {@code exports} (what its own plan exports) and this target has read them. */
    protected abstract void clusterPublishes(ClusterId cluster, List<ExportedService> exports);

    /** {@code cluster} is silent until it counts as unavailable, while the others go on; this target has read that. */
    protected abstract void clusterFallsSilent(ClusterId cluster);

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = Instant.parse("2026-01-02T00:00:00Z");

    static final ExportedService WEB = export(
            "web",
            T0,
            "198.51.100.10",
            port("http", Protocol.TCP, 80, 8080, "10.0.0.1", "10.0.0.2"),
            port("dns", Protocol.UDP, 53, 5353, "10.0.0.1"));
    static final ExportedService API = export("api", T0, null, port("", Protocol.TCP, 443, 8443, "10.0.0.3"));
    static final ExportedService OLD = export("old", T0, "198.51.100.11", port("", Protocol.TCP, 80, 80, "10.0.0.9"));

    /** Two exports with a VIP (one with two ports), one mesh-only. */
    protected static final Plan FIRST = new PlanParts().exports(WEB, API, OLD).plan();

    /** One endpoint gone, a VIP given, an export gone, one new. */
    static final Plan SECOND = new PlanParts()
            .exports(
                    export(
                            "web",
                            T0,
                            "198.51.100.10",
                            port("http", Protocol.TCP, 80, 8080, "10.0.0.1"),
                            port("dns", Protocol.UDP, 53, 5353, "10.0.0.1")),
                    export("api", T0, "198.51.100.12", port("", Protocol.TCP, 443, 8443, "10.0.0.3")),
                    export("db", T1, null, port("pg", Protocol.TCP, 5432, 5432, "10.0.0.4", "10.0.0.5")))
            .plan();

    @Test
    void aPlanIsPublishedExactlyWhateverWasPublishedBefore() {
        assertThat(published()).isEmpty();

        target().apply(FIRST);
        assertThat(published()).isEqualTo(publishedOf(FIRST));

        target().apply(SECOND);
        assertThat(published()).isEqualTo(publishedOf(SECOND));

        target().apply(Plan.EMPTY);
        assertThat(published()).isEmpty();
    }

    /** As the planner makes them: each plan's exports edited from the last plan's, sharing what did not change. */
    @Test
    void plansThatEditTheLastPlansExportsArePublishedExactly() {
        var random = new java.util.Random(5);
        io.meshgw.operator.plan.ChunkedMap<ObjectKey, ExportedService> exports =
                io.meshgw.operator.plan.ChunkedMap.of();
        for (int step = 0; step < 60; step++) {
            var edit = exports.edit();
            int changes = step == 0 ? 150 : 1 + random.nextInt(3);
            for (int i = 0; i < changes; i++) {
                int n = random.nextInt(200);
                if (random.nextInt(4) == 0) {
                    edit.remove(new ObjectKey("shop", "svc-" + n));
                } else {
                    var e = export(
                            "svc-" + n,
                            T0,
                            random.nextBoolean() ? null : "198.51.100." + n,
                            port(
                                    "http",
                                    Protocol.TCP,
                                    80,
                                    8080 + random.nextInt(2),
                                    "10.0." + n + "." + (1 + random.nextInt(3))));
                    edit.put(e.service(), e);
                }
            }
            exports = edit.build();
            var plan = new Plan(Map.of(), Map.of(), Map.of(), Map.of(), exports, Map.of(), List.of());
            target().apply(plan);
            if (step % 10 == 9) {
                assertThat(published()).as("step %d", step).isEqualTo(publishedOf(plan));
            }
        }
    }

    @Test
    void theSamePlanAgainWritesNothing() {
        target().apply(FIRST);
        assertThat(published()).isEqualTo(publishedOf(FIRST));
        long writes = writes();

        target().apply(FIRST);
        target().apply(rebuilt(FIRST));

        assertThat(published()).isEqualTo(publishedOf(FIRST));
        assertThat(writes()).isEqualTo(writes);

        target().apply(SECOND);
        assertThat(published()).isEqualTo(publishedOf(SECOND));
        assertThat(writes()).isGreaterThan(writes);
    }

    @Test
    void aRestartedTargetsFirstPlanReplacesWhatThePreviousOnePublished() {
        target().apply(FIRST);

        restart();
        assertThat(published())
                .as("until its first plan, the other clusters read what was published before")
                .isEqualTo(publishedOf(FIRST));

        target().apply(SECOND);
        assertThat(published()).isEqualTo(publishedOf(SECOND));
    }

    @Test
    void aTargetThatStandsByKeepsWhatItPublishedAndWritesNothingUntilItsNextPlan() {
        target().apply(FIRST);
        long writes = writes();

        target().standBy();
        target().standBy();

        assertThat(published())
                .as("the topic still holds the cluster's exports: standing by is not unpublishing")
                .isEqualTo(publishedOf(FIRST));
        assertThat(writes()).isEqualTo(writes);

        target().apply(SECOND);
        assertThat(published()).isEqualTo(publishedOf(SECOND));
    }

    @Test
    void remoteExportsAreWhatTheOtherClustersPublishLast() {
        assertThat(remote()).isEmpty();

        var westWeb = export("web", T0, null, port("http", Protocol.TCP, 80, 8080, "10.1.0.1", "10.1.0.2"));
        var westApi = export("api", T1, null, port("", Protocol.TCP, 443, 8443, "10.1.0.3"));
        var northWeb = export("web", T1, null, port("http", Protocol.TCP, 80, 8081, "10.2.0.1"));
        clusterPublishes(WEST, List.of(westWeb, westApi));
        clusterPublishes(NORTH, List.of(northWeb));
        assertThat(remote())
                .containsExactlyInAnyOrder(
                        Remote.of(WEST, westWeb), Remote.of(WEST, westApi), Remote.of(NORTH, northWeb));

        var westWebScaledDown = export("web", T0, null, port("http", Protocol.TCP, 80, 8080, "10.1.0.2"));
        clusterPublishes(WEST, List.of(westWebScaledDown));
        assertThat(remote())
                .as("west's api gone, its web changed")
                .containsExactlyInAnyOrder(Remote.of(WEST, westWebScaledDown), Remote.of(NORTH, northWeb));
    }

    @Test
    void thisClustersOwnExportsAreNotRemote() {
        target().apply(FIRST);
        var westWeb = export("web", T0, null, port("http", Protocol.TCP, 80, 8080, "10.1.0.1"));
        clusterPublishes(WEST, List.of(westWeb));

        assertThat(remote()).containsExactly(Remote.of(WEST, westWeb));
    }

    @Test
    void anUnavailableClustersExportsAreLeftOut() {
        var westWeb = export("web", T0, null, port("http", Protocol.TCP, 80, 8080, "10.1.0.1"));
        var northWeb = export("web", T1, null, port("http", Protocol.TCP, 80, 8081, "10.2.0.1"));
        clusterPublishes(WEST, List.of(westWeb));
        clusterPublishes(NORTH, List.of(northWeb));

        clusterFallsSilent(NORTH);

        assertThat(remote()).containsExactly(Remote.of(WEST, westWeb));
    }

    // ---- helpers

    private List<Remote> remote() {
        return target().remoteExports().stream().map(Remote::of).toList();
    }

    protected static Map<ObjectKey, Published> publishedOf(Plan plan) {
        Map<ObjectKey, Published> out = new LinkedHashMap<>();
        plan.exports().forEach((key, e) -> out.put(key, Published.of(e)));
        return out;
    }

    /** For a fake that takes the other clusters' exports as the values a pass reads. */
    public static RemoteExport remoteExport(ClusterId cluster, ExportedService e) {
        return new RemoteExport(
                cluster,
                e.service(),
                e.exportedAt(),
                e.ports().stream().map(PortTranslation::port).toList(),
                e.ports().stream()
                        .map(Endpoints::of)
                        .map(p -> new RemoteExport.RemoteEndpoints(
                                p.portName(), p.protocol(), p.targetPort(), List.copyOf(p.ready())))
                        .toList());
    }

    static Plan rebuilt(Plan plan) {
        return new PlanParts()
                .exports(plan.exports().values().stream()
                        .map(e -> new ExportedService(
                                new ObjectKey(
                                        e.service().namespace(), e.service().name()),
                                e.exportedAt(),
                                e.ports().stream()
                                        .map(p -> new PortTranslation(p.port(), List.copyOf(p.backends())))
                                        .toList(),
                                e.vip()))
                        .toArray(ExportedService[]::new))
                .plan();
    }

    static ExportedService export(String name, Instant exportedAt, String vip, PortTranslation... ports) {
        return new ExportedService(
                new ObjectKey("shop", name),
                exportedAt,
                List.of(ports),
                Optional.ofNullable(vip).map(IpAddress::parse));
    }

    static PortTranslation port(String name, Protocol protocol, int port, int targetPort, String... ready) {
        return new PortTranslation(
                new ServicePort(name, protocol, port),
                Arrays.stream(ready)
                        .map(a -> new Backend(IpAddress.parse(a), targetPort, EAST, true))
                        .toList());
    }
}
