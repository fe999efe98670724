package io.meshgw.mesh.view;

import static io.meshgw.mesh.state.StateSamples.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A reader that cannot read says so for every cluster it no longer keeps current, instead of going silently stale. */
class ReaderFailureTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MeshView view = new MeshView(
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock));
    final InMemoryTopic topic = new InMemoryTopic("meshgw.state.2");

    void readCluster2() {
        var options = PublisherOptions.defaults(new ClusterId(2, "west"))
                .withHeartbeatInterval(Duration.ofHours(1))
                .withClock(clock);
        var slice = new EndpointSlice(
                "default",
                "web",
                "a",
                2,
                List.of(ServicePort.tcp("http", 80)),
                List.of(Endpoint.ready(ip("10.2.0.1"))));
        try (var p = ClusterPublisher.start(options, topic.open(), List.of(slice))) {
            view.onTopicAdded(topic.topic());
            view.onTopicsListed();
            topic.replay(view);
        }
    }

    @Test
    void aReaderThatRestartsReportsEveryClusterNotSyncedWithTheReasonAndKeepsTheirEndpoints() {
        readCluster2();
        assertThat(view.snapshot().synced()).isTrue();

        view.onReaderDown("TimeoutException: Failed to get offsets by times in 15000ms");
        clock.advance(Duration.ofMinutes(1)); // longer than unavailableAfter: the reader is blind, not cluster 2 silent

        ClusterMetrics c = view.metrics(Map.of()).clusters().get(2);
        assertThat(c.synced()).isFalse();
        assertThat(c.readProblem()).hasValueSatisfying(p -> assertThat(p).contains("TimeoutException"));
        assertThat(view.snapshot().synced()).as("readiness").isFalse();
        view.tick();
        assertThat(view.snapshot().available()).as("endpoints kept while blind").hasSize(1);

        view.onTopicAdded(topic.topic());
        view.onConnected(true);
        topic.replay(view);
        assertThat(view.snapshot().synced()).isTrue();
        assertThat(view.metrics(Map.of()).clusters().get(2).readProblem()).isEmpty();
    }

    @Test
    void aTopicTheReaderMayNotReadMakesThatClusterNotSyncedWithTheReason() {
        readCluster2();

        view.onTopicUnreadable(topic.topic(), "not authorised to read meshgw.state.2");

        assertThat(view.metrics(Map.of()).clusters().get(2).readProblem())
                .contains("not authorised to read meshgw.state.2");
        assertThat(view.snapshot().clusters().get(2).status().synced()).isFalse();
    }
}
