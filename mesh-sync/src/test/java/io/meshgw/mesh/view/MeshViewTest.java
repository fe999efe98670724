package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.state.StateValue;
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
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshViewTest {

    static final Duration T = Duration.ofSeconds(5);
    static final ServiceKey WEB = new ServiceKey("default", "web");
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ViewOptions viewOptions =
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock);

    PublisherOptions pubOptions(int id) {
        return PublisherOptions.defaults(new ClusterId(id, "c" + id))
                .withHeartbeatInterval(Duration.ofHours(1))
                .withClock(clock);
    }

    static ServiceExport svc(String name) {
        return new ServiceExport("default", name, List.of(ServicePort.tcp("http", 80)), Map.of(), Optional.empty());
    }

    static EndpointSlice slice(int cluster, String name, String... ips) {
        List<Endpoint> eps = new ArrayList<>();
        for (String ip : ips) {
            eps.add(Endpoint.ready(StateSamples.ip(ip)));
        }
        return new EndpointSlice("default", "web", name, cluster, List.of(ServicePort.tcp("http", 8080)), eps);
    }

    @Test
    void twoClustersConvergeIntoOneSnapshot() {
        var t2 = new InMemoryTopic("meshgw.state.2");
        var t3 = new InMemoryTopic("meshgw.state.3");
        var view = new MeshView(viewOptions);
        List<MeshSnapshot> seen = new ArrayList<>();
        view.subscribe(seen::add);
        try (var p2 = ClusterPublisher.start(pubOptions(2), t2.open(), List.of(svc("web"), slice(2, "a", "10.2.0.1")));
                var p3 = ClusterPublisher.start(
                        pubOptions(3), t3.open(), List.of(svc("web"), slice(3, "a", "10.3.0.1")))) {
            t2.replay(view);
            t3.replay(view);
        }
        MeshSnapshot s = view.snapshot();
        assertThat(s.endpointSlices(WEB)).containsExactly(slice(2, "a", "10.2.0.1"), slice(3, "a", "10.3.0.1"));
        assertThat(s.clusters().get(2).cluster()).isEqualTo(new ClusterId(2, "c2"));
        assertThat(s.clusters().get(3).status())
                .isEqualTo(new ClusterStatus(true, true, Optional.of(Duration.ZERO), 1));
        assertThat(seen).extracting(MeshSnapshot::version).isSorted().doesNotHaveDuplicates();
        assertThat(seen.getLast()).isSameAs(s);
        MeshMetrics m = view.metrics(Map.of("meshgw.state.2", 0L));
        assertThat(m.clusters().get(2).lag()).isZero();
        assertThat(m.clusters().get(3).lag()).isEqualTo(-1);
        assertThat(m.clusters().get(2).keys()).isEqualTo(2);
        assertThat(m.rejected()).isZero();
    }

    @Test
    void onlyNewerRecordsPerKeyApplyAndAnOlderEpochIsAZombie() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        put(t, 2, 1, slice(2, "a", "10.0.0.1"));
        put(t, 2, 3, slice(2, "a", "10.0.0.3"));
        put(t, 2, 2, slice(2, "a", "10.0.0.2")); // replayed or reordered: older seq
        put(t, 1, 9, slice(2, "b", "10.0.0.9")); // an older publisher still writing
        put(t, 2, 4, new io.meshgw.mesh.state.SyncedMarker(2, 3));
        put(t, 2, 5, new Heartbeat(clock.instant(), "c2"));
        t.replay(view);
        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.3"));
        assertThat(view.metrics(Map.of()).ignored()).isEqualTo(2);
    }

    @Test
    void aStaleViewIsSweptWhenTheLogNoLongerHoldsItsKeys() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(
                pubOptions(2), t.open(), List.of(svc("web"), slice(2, "a", "10.0.0.1"), slice(2, "b", "10.0.0.2")))) {
            t.replay(view);
            // The reader is away: b is deleted and the tombstone compacted away before it returns.
            p.remove(slice(2, "b").key());
            p.flush(T);
        }
        t.compactAway();
        assertThat(view.snapshot().endpointSlices(WEB)).hasSize(2);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(svc("web"), slice(2, "a", "10.0.0.1")))) {
            // Half-way through the re-read the last complete view still stands.
            view.onTopicAdded(t.topic());
            view.onRecord(t.records().getFirst());
            view.onPollComplete();
            assertThat(view.snapshot().endpointSlices(WEB)).hasSize(2);
            ClusterStatus rereading = view.snapshot().clusters().get(2).status();
            assertThat(rereading.synced()).isFalse();
            assertThat(rereading.epoch()).as("the last complete view's epoch").isEqualTo(1);
            t.deliver(view, 0);
        }
        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
        assertThat(view.snapshot().clusters().get(2).status().epoch()).isEqualTo(2);
    }

    @Test
    void aBrokerFailoverLongerThanUnavailableAfterKeepsTheClusterInService() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            t.replay(view);
            clock.advance(Duration.ofSeconds(4));
            view.topicReachability(Map.of(2, false)); // the leader of cluster 2's topic died
            clock.advance(Duration.ofSeconds(12)); // the controllers notice and elect another
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("a topic without a leader is not a silent cluster")
                    .isTrue();
            view.topicReachability(Map.of(2, true));
            clock.advance(Duration.ofSeconds(6));
            view.tick();
            assertThat(view.snapshot().endpointSlices(WEB))
                    .as("4 s + 6 s of silence while its topic answered")
                    .hasSize(1);
            clock.advance(Duration.ofMillis(1));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("silent beyond 10 s while its topic answered")
                    .isFalse();
        }
    }

    @Test
    void aHeartbeatReadWhileTheTopicSeemedUnreachableEndsTheHold() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            long next = t.replay(view);
            view.topicReachability(Map.of(2, false));
            clock.advance(Duration.ofSeconds(30));
            p.heartbeatNow();
            p.flush(Duration.ofSeconds(5));
            t.deliver(view, next); // it could be read after all
            clock.advance(Duration.ofSeconds(10));
            view.topicReachability(Map.of(2, true));
            clock.advance(Duration.ofMillis(1));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("silent for 10 s since the heartbeat it was heard with, not given the 30 s on top")
                    .isFalse();
        }
    }

    /**
     * A broker restart as the lab's e2e saw it: the probe finds the cluster's topic unanswered first, the reader loses
     * the brokers later, and it connects again a moment before the probe finds the topic answering. The two holds must
     * not undo each other: taking the blind time off the silence moved the last heartbeat past the start of the
     * topic's hold, which ended that hold, so the cluster was judged on the whole outage and its exports withdrawn for
     * the 56 ms until the probe answered.
     */
    @Test
    void reconnectingBeforeTheTopicAnswersKeepsTheClusterInService() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            t.replay(view);
            clock.advance(Duration.ofSeconds(1));
            view.topicReachability(Map.of(2, false)); // the broker went down
            clock.advance(Duration.ofSeconds(14));
            view.onConnected(false); // the reader notices
            clock.advance(Duration.ofSeconds(12));
            view.onConnected(true); // the broker is back; the probe has not asked again yet
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("silent for 1 s before its topic stopped answering")
                    .isTrue();
            assertThat(view.snapshot().endpointSlices(WEB)).hasSize(1);
            view.topicReachability(Map.of(2, true));
            clock.advance(Duration.ofSeconds(9));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("1 s + 9 s of silence")
                    .isTrue();
            clock.advance(Duration.ofMillis(1));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("silent beyond 10 s while heard")
                    .isFalse();
        }
    }

    @Test
    void timeWithoutABrokerConnectionDoesNotCountAsTheClustersSilence() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            t.replay(view);
            clock.advance(Duration.ofSeconds(5));
            view.onConnected(false); // the reader lost the brokers
            clock.advance(Duration.ofSeconds(30));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("a blind reader does not judge")
                    .isTrue();
            view.onConnected(true);
            view.tick();
            assertThat(view.snapshot().endpointSlices(WEB))
                    .as("the outage was not the cluster's")
                    .hasSize(1);
            clock.advance(Duration.ofSeconds(5));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available()).isTrue();
            clock.advance(Duration.ofMillis(1));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available())
                    .as("10 s of silence heard while connected")
                    .isFalse();
        }
    }

    @Test
    void aSilentClusterIsUnavailableThenAvailableAgainThenForgotten() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        List<String> rewound = new ArrayList<>();
        view.rewindThrough(rewound::add);
        long read;
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            read = t.replay(view);
            clock.advance(Duration.ofSeconds(10));
            view.tick();
            assertThat(view.snapshot().clusters().get(2).status().available()).isTrue();
            clock.advance(Duration.ofMillis(1));
            view.tick();
            ClusterView gone = view.snapshot().clusters().get(2);
            assertThat(gone.status().available()).isFalse();
            assertThat(gone.activeSlices()).isEmpty();
            assertThat(gone.slices()).as("state is kept while unavailable").hasSize(1);
            assertThat(view.snapshot().endpointSlices(WEB)).isEmpty();

            p.heartbeatNow();
            p.flush(T);
            read = t.deliver(view, read);
            assertThat(view.snapshot().endpointSlices(WEB)).hasSize(1);
            assertThat(view.metrics(Map.of()).clusters().get(2).lastHeartbeatAge())
                    .contains(Duration.ZERO);

            clock.advance(Duration.ofMinutes(10).plusMillis(1));
            view.tick();
            assertThat(view.snapshot().clusters()).doesNotContainKey(2);

            p.heartbeatNow();
            p.flush(T);
            t.deliver(view, read);
            assertThat(rewound)
                    .as("a dropped cluster is read again from its start")
                    .containsExactly(t.topic());
            t.replay(view);
            assertThat(view.snapshot().endpointSlices(WEB)).hasSize(1);
        }
    }

    @Test
    void anOldHeartbeatReadWhileCatchingUpCountsAsOld() {
        var t = new InMemoryTopic("meshgw.state.2");
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            assertThat(p.epoch()).isEqualTo(1);
        }
        clock.advance(Duration.ofMinutes(1)); // the publisher died a minute ago
        var view = new MeshView(viewOptions);
        t.replay(view);
        ClusterStatus st = view.snapshot().clusters().get(2).status();
        assertThat(st.synced()).isTrue();
        assertThat(st.available()).isFalse();
        assertThat(st.lastHeartbeatAge()).contains(Duration.ofMinutes(1));
    }

    @Test
    void forgedRecordsAreCountedAndGoodOnesAroundThemApply() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
            t.appendRaw(
                    "eps/default/web/x",
                    RecordHeaders.v1(3, 1, 1).toKafka(),
                    ValueCodec.encode(3, slice(3, "x", "10.6.6.6")));
            t.appendRaw("eps/default/web/y", RecordHeaders.v1(2, 1, 1).toKafka(), new byte[] {1, 2, 0, 2, 9});
            p.put(slice(2, "b", "10.0.0.2"));
            p.flush(T);
            t.replay(view);
        }
        assertThat(view.snapshot().endpointSlices(WEB))
                .extracting(EndpointSlice::slice)
                .containsExactly("a", "b");
        MeshMetrics m = view.metrics(Map.of());
        assertThat(m.rejected()).isEqualTo(2);
        assertThat(m.clusters().get(2).rejected()).isEqualTo(2);
    }

    @Test
    void theLocalClusterIsNotPartOfTheRemoteView() {
        var t = new InMemoryTopic("meshgw.state.1");
        var view = new MeshView(viewOptions);
        try (var p = ClusterPublisher.start(pubOptions(1), t.open(), List.of(slice(1, "a", "10.0.0.1")))) {
            t.replay(view);
        }
        assertThat(view.snapshot().clusters()).isEmpty();
    }

    @Test
    void aFailingListenerDoesNotStopOthers() {
        var t = new InMemoryTopic("meshgw.state.2");
        var view = new MeshView(viewOptions);
        List<Long> versions = new ArrayList<>();
        view.subscribe(s -> {
            throw new IllegalStateException("listener bug");
        });
        try (Subscription sub = view.subscribe(s -> versions.add(s.version()))) {
            try (var p = ClusterPublisher.start(pubOptions(2), t.open(), List.of(slice(2, "a", "10.0.0.1")))) {
                t.replay(view);
            }
            assertThat(versions).startsWith(0L).hasSizeGreaterThan(1);
        }
        int before = versions.size();
        view.forget(2);
        assertThat(versions).hasSize(before);
    }

    private void put(InMemoryTopic t, long epoch, long seq, StateValue v) {
        t.appendRaw(v.key().format(), RecordHeaders.v1(2, epoch, seq).toKafka(), ValueCodec.encode(2, v));
    }

    static List<RawRecord> none() {
        return List.of();
    }
}
