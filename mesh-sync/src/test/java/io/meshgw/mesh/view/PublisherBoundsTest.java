package io.meshgw.mesh.view;

import static io.meshgw.mesh.state.StateSamples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one record or one cluster can do to the mesh is bounded: an epoch beyond what its offset allows is refused by
 * the publisher and every reader alike, and a cluster holds a bounded number of keys.
 */
class PublisherBoundsTest {

    static final ServiceKey WEB = new ServiceKey("default", "web");
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ViewOptions viewOptions =
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock);
    final InMemoryTopic topic = new InMemoryTopic("meshgw.state.2");

    PublisherOptions publisher() {
        return PublisherOptions.defaults(new ClusterId(2, "west"))
                .withHeartbeatInterval(Duration.ofHours(1))
                .withClock(clock);
    }

    static EndpointSlice slice(String name, String address) {
        return new EndpointSlice(
                "default",
                "web",
                name,
                2,
                List.of(ServicePort.tcp("http", 8080)),
                List.of(Endpoint.ready(ip(address))));
    }

    void forge(long epoch, StateValue v) {
        topic.appendRaw(v.key().format(), RecordHeaders.v1(2, epoch, 1).toKafka(), ValueCodec.encode(2, v));
    }

    @Test
    void aRecordWithEpochLongMaxValueNeitherStopsThePublisherNorHidesItFromReaders() {
        forge(Long.MAX_VALUE, new Heartbeat(clock.instant(), "west"));
        forge(Long.MAX_VALUE, new SyncedMarker(Long.MAX_VALUE, 1));

        try (var p = ClusterPublisher.start(publisher(), topic.open(), List.of(slice("a", "10.2.0.1")))) {
            assertThat(p.epoch()).as("no possible epoch before it").isEqualTo(1);
        }
        var view = new MeshView(viewOptions);
        topic.replay(view);

        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice("a", "10.2.0.1"));
        assertThat(view.snapshot().clusters().get(2).status().epoch()).isEqualTo(1);
        assertThat(view.metrics(Map.of()).clusters().get(2).rejected()).isEqualTo(2);
    }

    @Test
    void anEpochAheadOfItsOffsetIsRefusedWhileOneItsOffsetAllowsIsTaken() {
        topic.skipOffsets(9); // nine records of earlier epochs, compacted away
        forge(11, new Heartbeat(clock.instant(), "west")); // offset 9: at most epoch 10
        forge(11, new Heartbeat(clock.instant(), "west")); // offset 10: epoch 11 is possible

        var view = new MeshView(viewOptions);
        topic.replay(view);

        MeshMetrics m = view.metrics(Map.of());
        assertThat(m.rejected()).isEqualTo(1);
        assertThat(m.applied()).isEqualTo(1);
    }

    @Test
    void aClusterPublishingMoreKeysThanTheLimitIsCappedCountedAndStillHeard() {
        var view = new MeshView(viewOptions.withMaxKeysPerCluster(5));
        List<StateValue> slices = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            slices.add(slice("s" + i, "10.2.0." + (i + 1)));
        }
        try (var p = ClusterPublisher.start(publisher(), topic.open(), slices)) {
            topic.replay(view);
        }

        ClusterMetrics c = view.metrics(Map.of()).clusters().get(2);
        assertThat(c.keys()).isEqualTo(5);
        assertThat(c.overKeyLimit()).isEqualTo(7);
        assertThat(view.snapshot().endpointSlices(WEB)).hasSize(5);
        assertThat(c.synced()).as("its heartbeat and marker, never capped").isTrue();
        assertThat(c.available()).isTrue();
    }
}
