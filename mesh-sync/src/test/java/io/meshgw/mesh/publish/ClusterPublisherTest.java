package io.meshgw.mesh.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.kafka.PublisherFencedException;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.MetaKey;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.Decoded;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.mesh.wire.WireValue;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClusterPublisherTest {

    static final ClusterId C7 = new ClusterId(7, "eu-1");
    static final Duration T = Duration.ofSeconds(5);

    static PublisherOptions options() {
        return PublisherOptions.defaults(C7)
                .withHeartbeatInterval(Duration.ofHours(1))
                .withRetryBackoff(Duration.ofMillis(5));
    }

    static ServiceExport svc(String name) {
        return new ServiceExport("default", name, List.of(ServicePort.tcp("http", 80)), Map.of(), Optional.empty());
    }

    static EndpointSlice slice(String name, String... ips) {
        return new EndpointSlice(
                "default",
                "web",
                name,
                7,
                List.of(ServicePort.tcp("http", 8080)),
                java.util.Arrays.stream(ips)
                        .map(ip -> Endpoint.ready(StateSamples.ip(ip)))
                        .toList());
    }

    static RecordHeaders headers(RawRecord r) {
        return ((Decoded.Ok<RecordHeaders>) RecordHeaders.parse(r.headers())).value();
    }

    static StateValue value(RawRecord r) {
        return ((Decoded.Ok<WireValue>) ValueCodec.decode(r.value())).value().value();
    }

    @Test
    void theFirstStartWritesEverythingThenHeartbeatAndMarkerInOneTransaction() {
        var topic = new InMemoryTopic("meshgw.state.7");
        try (var p = ClusterPublisher.start(options(), topic.open(), List.of(svc("web"), slice("a", "10.0.0.1")))) {
            assertThat(p.epoch()).isEqualTo(1);
            List<RawRecord> log = topic.records();
            assertThat(log)
                    .extracting(RawRecord::key)
                    .containsExactly("svc/default/web", "eps/default/web/a", "meta/heartbeat", "meta/synced");
            assertThat(log).extracting(r -> headers(r).seq()).containsExactly(1L, 2L, 3L, 4L);
            assertThat(value(log.get(3))).isEqualTo(new SyncedMarker(1, 3));
        }
    }

    @Test
    void aRestartWritesOnlyTheDifferenceUnderTheNextEpoch() {
        var topic = new InMemoryTopic("meshgw.state.7");
        try (var p = ClusterPublisher.start(
                options(), topic.open(), List.of(svc("web"), svc("old"), slice("a", "10.0.0.1")))) {
            p.put(slice("b", "10.0.0.2"));
            p.flush(T);
        }
        int before = topic.size();
        try (var p = ClusterPublisher.start(
                options(), topic.open(), List.of(svc("web"), slice("a", "10.0.0.9"), slice("b", "10.0.0.2")))) {
            assertThat(p.epoch()).isEqualTo(2);
            List<RawRecord> snapshot = topic.records().subList(before, topic.size());
            assertThat(snapshot)
                    .extracting(RawRecord::key)
                    .containsExactly("eps/default/web/a", "svc/default/old", "meta/heartbeat", "meta/synced");
            assertThat(snapshot.get(1).tombstone()).isTrue();
            assertThat(snapshot).allSatisfy(r -> assertThat(headers(r).epoch()).isEqualTo(2));
        }
        assertThat(topic.current().keySet())
                .containsExactlyInAnyOrder(
                        "svc/default/web", "eps/default/web/a", "eps/default/web/b", "meta/heartbeat", "meta/synced");
    }

    @Test
    void garbageInTheOwnTopicIsDeletedByTheSnapshot() {
        var topic = new InMemoryTopic("meshgw.state.7");
        topic.skipOffsets(10); // earlier epochs' records, compacted away
        topic.appendRaw("svc/default/x", RecordHeaders.v1(7, 4, 1).toKafka(), new byte[] {1, 2, 3});
        topic.appendRaw("not a key", Map.of(), new byte[] {0});
        try (var p = ClusterPublisher.start(options(), topic.open(), List.of(svc("web")))) {
            assertThat(p.epoch()).as("highest epoch in the topic + 1").isEqualTo(5);
        }
        assertThat(topic.current().keySet())
                .containsExactlyInAnyOrder("svc/default/web", "meta/heartbeat", "meta/synced");
    }

    @Test
    void changesAreWrittenIncrementallyInOrder() {
        var topic = new InMemoryTopic("meshgw.state.7");
        try (var p = ClusterPublisher.start(options(), topic.open(), List.of())) {
            int start = topic.size();
            p.put(svc("web"));
            p.update(List.of(slice("a", "10.0.0.1")), List.of());
            p.remove(svc("web").key());
            p.flush(T);
            List<RawRecord> written = topic.records().subList(start, topic.size());
            long last = 0;
            for (RawRecord r : written) {
                assertThat(headers(r).seq()).isGreaterThan(last);
                last = headers(r).seq();
            }
            assertThat(topic.current()).containsOnlyKeys("eps/default/web/a", "meta/heartbeat", "meta/synced");
            p.replaceAll(List.of(new GatewayAddress("n1", List.of(StateSamples.ip("192.0.2.1")))));
            p.flush(T);
            assertThat(topic.current()).containsOnlyKeys("gw/n1", "meta/heartbeat", "meta/synced");
        }
    }

    @Test
    void replacingTheWholeStateWritesOnlyWhatChanged() {
        var topic = new InMemoryTopic("meshgw.state.7");
        List<StateValue> state = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            state.add(slice("s" + i, "10.0.0." + (i + 1)));
        }
        try (var p = ClusterPublisher.start(options(), topic.open(), state)) {
            int start = topic.size();
            p.replaceAll(state);
            p.flush(T);
            assertThat(topic.size()).as("the same state again writes nothing").isEqualTo(start);

            List<StateValue> next = new java.util.ArrayList<>(state);
            next.set(42, slice("s42", "10.9.9.9"));
            next.remove(7);
            p.replaceAll(next);
            p.flush(T);
            assertThat(topic.records().subList(start, topic.size()))
                    .extracting(RawRecord::key)
                    .containsExactlyInAnyOrder("eps/default/web/s42", "eps/default/web/s7");
            assertThat(value(topic.current().get("eps/default/web/s42"))).isEqualTo(slice("s42", "10.9.9.9"));
            assertThat(topic.current()).doesNotContainKey("eps/default/web/s7");
        }
    }

    @Test
    void aFailedTransactionIsRetriedWithTheLatestValue() {
        var topic = new InMemoryTopic("meshgw.state.7");
        try (var p = ClusterPublisher.start(options(), topic.open(), List.of())) {
            topic.failNextTransactions(2);
            p.put(slice("a", "10.0.0.1"));
            p.put(slice("a", "10.0.0.2"));
            p.flush(T);
            assertThat(p.failures()).isGreaterThanOrEqualTo(1);
            assertThat(value(topic.current().get("eps/default/web/a"))).isEqualTo(slice("a", "10.0.0.2"));
            assertThat(topic.records())
                    .filteredOn(r -> r.key().startsWith("eps/"))
                    .hasSize(1);
        }
    }

    @Test
    void aFencedPublisherStopsAndSaysSo() {
        var topic = new InMemoryTopic("meshgw.state.7");
        var old = ClusterPublisher.start(options(), topic.open(), List.of(svc("web")));
        try (var current = ClusterPublisher.start(options(), topic.open(), List.of(svc("web")))) {
            old.put(svc("zombie"));
            assertThatThrownBy(() -> old.flush(T)).isInstanceOf(PublisherFencedException.class);
            assertThat(old.fenced()).isTrue();
            assertThatThrownBy(() -> old.put(svc("again"))).isInstanceOf(PublisherFencedException.class);
            assertThat(current.epoch()).isEqualTo(2);
        } finally {
            old.close();
        }
        assertThat(topic.current()).doesNotContainKey("svc/default/zombie");
    }

    @Test
    void heartbeatsCarryTheClusterName() {
        var topic = new InMemoryTopic("meshgw.state.7");
        try (var p = ClusterPublisher.start(
                PublisherOptions.defaults(C7).withHeartbeatInterval(Duration.ofMillis(20)), topic.open(), List.of())) {
            long deadline = System.nanoTime() + T.toNanos();
            while (topic.records().stream()
                            .filter(r -> r.key().equals("meta/heartbeat"))
                            .count()
                    < 3) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.onSpinWait();
            }
            RawRecord hb = topic.current().get(MetaKey.HEARTBEAT.format());
            assertThat(((io.meshgw.mesh.state.Heartbeat) value(hb)).clusterName())
                    .isEqualTo("eu-1");
        }
    }

    @Test
    void whatIsNotThisClustersToPublishIsRefused() {
        var topic = new InMemoryTopic("meshgw.state.7");
        assertThatThrownBy(
                        () -> ClusterPublisher.start(options(), new InMemoryTopic("meshgw.state.8").open(), List.of()))
                .hasMessageContaining("not the state topic of cluster eu-1(7)");
        try (var p = ClusterPublisher.start(options(), topic.open(), List.of())) {
            var foreign = new EndpointSlice("default", "web", "x", 8, List.of(), List.of());
            assertThatThrownBy(() -> p.put(foreign)).hasMessageContaining("owned by cluster 8");
            assertThatThrownBy(() -> p.put(new SyncedMarker(1, 1))).hasMessageContaining("written by the publisher");
            assertThatThrownBy(() -> p.remove(MetaKey.SYNCED)).hasMessageContaining("written by the publisher");
        }
    }
}
