package io.meshgw.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.kafka.PublisherFencedException;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.MutableClock;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.MeshTargetContract;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh service keeps the contract the operator's fake keeps, over mesh-sync's real publisher and reader view and
 * an in-memory topic per cluster (no broker). What this cluster published is what a fresh reader of its topic reads;
 * the other clusters are real publishers whose topics this cluster's view reads, with the clock moved by hand.
 */
class MeshServiceContractTest extends MeshTargetContract {
    private static final Duration UNAVAILABLE_AFTER = Duration.ofSeconds(10);
    private static final Duration WRITTEN_WITHIN = Duration.ofSeconds(5);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final Map<Integer, InMemoryTopic> topics = new HashMap<>();
    private final Map<Integer, Long> delivered = new HashMap<>();
    private final Map<Integer, ClusterPublisher> others = new HashMap<>();
    private final MeshView view = new MeshView(viewOptions(EAST));
    private MeshService mesh;
    private ClusterPublisher own;

    @BeforeEach
    void start() {
        mesh = new MeshService(null);
        own = null;
        mesh.start(
                EAST,
                view,
                initial -> own = ClusterPublisher.start(
                        publisherOptions(EAST), topic(EAST).open(), initial));
    }

    @AfterEach
    void stop() {
        mesh.onStop(null);
        others.values().forEach(ClusterPublisher::close);
    }

    @Test
    void aFreshViewIsNotSyncedUntilTheReaderHasListedTheMesh() {
        assertThat(mesh.synced()).isFalse();
        assertThat(mesh.awaitSynced(Duration.ofMillis(200))).isFalse();

        view.onTopicsListed();

        assertThat(mesh.synced()).isTrue();
    }

    @Test
    void aPublisherFencedByAnotherInstanceIsClaimedBackByTheNextPass() {
        mesh.apply(FIRST);
        assertThat(mesh.publishing()).isTrue();
        ClusterPublisher fencedOne = own;

        fenceOwnPublisher();
        assertThat(mesh.publishing()).isFalse();

        mesh.apply(FIRST);

        assertThat(own).isNotSameAs(fencedOne);
        assertThat(own.epoch()).isGreaterThan(fencedOne.epoch());
        assertThat(mesh.publishing()).isTrue();
        assertThat(published()).isEqualTo(publishedOf(FIRST));
    }

    @Test
    void aFencedPublisherAsksForThePassThatClaimsTheTopicBack() {
        mesh.apply(FIRST);
        AtomicInteger asked = new AtomicInteger();
        mesh.onRemoteChange(asked::incrementAndGet);

        fenceOwnPublisher();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (asked.get() == 0 && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(asked.get()).isEqualTo(1);
    }

    /** Another instance of this cluster claims the topic (its empty snapshot deletes every key); ours learns it on its next write. */
    /**
     * The Lease holder publishes a gateway record for each other gateway node of its cluster that names a tunnel
     * endpoint on its Node, so the other clusters accept what each of them tunnels; a node that goes is deleted.
     */
    @Test
    void theOtherGatewayNodesOfTheClusterArePublishedAndRemovedWithThePlan() {
        var two = new io.meshgw.operator.plan.GatewayNodes(
                Map.of(
                        "east-node-2", io.meshgw.types.Ipv4Address.parse("10.1.0.2"),
                        "east-node-3", io.meshgw.types.Ipv4Address.parse("10.1.0.3")),
                java.util.Optional.empty());
        mesh.apply(FIRST.withGateways(two));
        assertThat(liveGatewayKeys()).containsExactlyInAnyOrder("gw/east-node-2", "gw/east-node-3");

        mesh.apply(FIRST.withGateways(new io.meshgw.operator.plan.GatewayNodes(
                Map.of("east-node-3", io.meshgw.types.Ipv4Address.parse("10.1.0.3")), java.util.Optional.empty())));
        assertThat(liveGatewayKeys()).containsExactly("gw/east-node-3");

        // The node controller lost east-node-3 (Ready Unknown): the other clusters stop tunnelling to it.
        mesh.apply(FIRST.withGateways(new io.meshgw.operator.plan.GatewayNodes(
                Map.of(
                        "east-node-2", io.meshgw.types.Ipv4Address.parse("10.1.0.2"),
                        "east-node-3", io.meshgw.types.Ipv4Address.parse("10.1.0.3")),
                java.util.Optional.empty(),
                new java.util.TreeSet<>(),
                new java.util.TreeSet<>(List.of("east-node-3")))));
        assertThat(liveGatewayKeys()).containsExactly("gw/east-node-2");
    }

    /** The gw/ keys the topic holds now: each key's last record, unless it is a deletion. */
    private List<String> liveGatewayKeys() {
        own.flush(WRITTEN_WITHIN);
        Map<String, byte[]> last = new java.util.LinkedHashMap<>();
        topic(EAST).records().stream()
                .filter(r -> r.key().startsWith("gw/"))
                .forEach(r -> last.put(r.key(), r.value()));
        return last.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(Map.Entry::getKey)
                .toList();
    }

    private void fenceOwnPublisher() {
        ClusterPublisher other =
                ClusterPublisher.start(publisherOptions(EAST), topic(EAST).open(), List.of());
        others.put(EAST.id(), other);
        own.heartbeatNow();
        assertThatThrownBy(() -> own.flush(WRITTEN_WITHIN)).isInstanceOf(PublisherFencedException.class);
        assertThat(own.fenced()).isTrue();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    protected MeshTarget target() {
        return mesh;
    }

    @Override
    protected Map<ObjectKey, Published> published() {
        if (own != null) {
            own.flush(WRITTEN_WITHIN);
        }
        var reader = new MeshView(viewOptions(NORTH));
        topic(EAST).replay(reader);
        ClusterView east = reader.snapshot().clusters().get(EAST.id());
        Map<ObjectKey, Published> out = new LinkedHashMap<>();
        if (east == null) {
            return out;
        }
        for (var e : MeshRecords.remoteExports(east)) {
            var vip = east.services().values().stream()
                    .filter(s -> s.namespace().equals(e.service().namespace())
                            && s.name().equals(e.service().name()))
                    .findFirst()
                    .flatMap(s -> s.legacyVip())
                    .map(v -> IpAddress.of(v.address()));
            out.put(
                    e.service(),
                    new Published(
                            e.exportedAt(),
                            vip,
                            e.ports(),
                            e.endpoints().stream().map(Endpoints::of).collect(Collectors.toSet())));
        }
        return out;
    }

    @Override
    protected long writes() {
        if (own != null) {
            own.flush(WRITTEN_WITHIN);
        }
        return topic(EAST).records().stream()
                .filter(r -> r.key().startsWith("svc/") || r.key().startsWith("eps/"))
                .count();
    }

    @Override
    protected void restart() {
        mesh.onStop(null);
        start();
    }

    @Override
    protected void clusterPublishes(ClusterId cluster, List<ExportedService> exports) {
        var values = exports.stream()
                .flatMap(e -> MeshRecords.values(e, cluster.id()).stream())
                .toList();
        var publisher = others.get(cluster.id());
        if (publisher == null) {
            others.put(
                    cluster.id(),
                    ClusterPublisher.start(
                            publisherOptions(cluster), topic(cluster).open(), values));
        } else {
            publisher.replaceAll(values);
            publisher.flush(WRITTEN_WITHIN);
        }
        readEveryTopic();
    }

    @Override
    protected void clusterFallsSilent(ClusterId cluster) {
        clock.advance(UNAVAILABLE_AFTER.plusSeconds(1));
        others.forEach((id, publisher) -> {
            if (id != cluster.id()) {
                publisher.heartbeatNow();
                publisher.flush(WRITTEN_WITHIN);
            }
        });
        readEveryTopic();
        view.tick();
    }

    /** This cluster's view reads every topic, its own too, as the reader does. */
    private void readEveryTopic() {
        if (own != null) {
            own.flush(WRITTEN_WITHIN);
        }
        topics.forEach((id, topic) -> {
            if (!delivered.containsKey(id)) {
                view.onTopicAdded(topic.topic());
            }
            delivered.put(id, topic.deliver(view, delivered.getOrDefault(id, 0L)));
        });
    }

    private InMemoryTopic topic(ClusterId cluster) {
        return topics.computeIfAbsent(cluster.id(), id -> new InMemoryTopic(StateTopics.DEFAULT.topicOf(cluster)));
    }

    private PublisherOptions publisherOptions(ClusterId cluster) {
        return PublisherOptions.defaults(cluster).withClock(clock).withHeartbeatInterval(Duration.ofHours(1));
    }

    private ViewOptions viewOptions(ClusterId local) {
        return new ViewOptions(StateTopics.DEFAULT, local.id(), UNAVAILABLE_AFTER, Duration.ofHours(1), clock);
    }
}
