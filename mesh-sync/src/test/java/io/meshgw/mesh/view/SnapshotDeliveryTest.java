package io.meshgw.mesh.view;

import static io.meshgw.mesh.view.MeshViewTest.WEB;
import static io.meshgw.mesh.view.MeshViewTest.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When a view makes a new snapshot and who gets it: a snapshot for every change of content or of
 * a cluster's synced, available or epoch, none when only a heartbeat's age moves, each one to
 * each listener once and in order.
 */
class SnapshotDeliveryTest {

    static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MeshView view =
            new MeshView(new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), FORGET_AFTER, clock));
    final ScriptedTopic c2 = new ScriptedTopic(2);
    final List<MeshSnapshot> seen = new ArrayList<>();

    /** Cluster 2 exports slice a in epoch 1 and has been read to its end. */
    void clusterTwoSynced() {
        c2.startOver(view);
        c2.put(1, 1, slice(2, "a", "10.0.0.1")).synced(1, 2, clock.instant()).pollToEnd(view);
        assertThat(view.snapshot().endpointSlices(WEB)).hasSize(1);
    }

    @Test
    void heartbeatsAndTicksThatChangeNoGateMakeNoSnapshot() {
        clusterTwoSynced();
        MeshSnapshot before = view.snapshot();

        clock.advance(Duration.ofSeconds(3));
        view.tick();
        view.onPollComplete();
        c2.put(1, 4, new Heartbeat(clock.instant(), "c2")).pollToEnd(view);
        clock.advance(Duration.ofSeconds(3));
        view.tick();

        assertThat(view.snapshot()).isSameAs(before);
    }

    @Test
    void aPublisherRestartThatChangesNothingMakesOneSnapshotForItsEpoch() {
        clusterTwoSynced();
        view.subscribe(seen::add);
        seen.clear();

        // Epoch 2's start-up snapshot finds the topic as it wants it: a heartbeat and the marker,
        // read one record per poll.
        c2.put(2, 1, new Heartbeat(clock.instant(), "c2")).pollToEnd(view);
        c2.put(2, 2, new SyncedMarker(2, 1)).pollToEnd(view);

        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().clusters().get(2).status().epoch()).isEqualTo(2);
        assertThat(seen.getFirst().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
        assertThat(view.snapshot()).isSameAs(seen.getFirst());
    }

    @Test
    void aKeyTheLogNoLongerHoldsIsSweptWhenNothingElseIsReadAgain() {
        clusterTwoSynced();
        // While the reader was away, epoch 2 deleted a, and compaction took the tombstone.
        c2.delete(2, 1, slice(2, "a").key()).synced(2, 2, clock.instant());
        c2.topic.compactAway();

        c2.startOver(view);
        c2.pollToEnd(view);

        assertThat(view.snapshot().clusters().get(2).slices()).isEmpty();
        assertThat(view.snapshot().clusters().get(2).status().synced()).isTrue();
        assertThat(view.metrics(Map.of()).clusters().get(2).keys()).isZero();
    }

    @Test
    void theClustersNameShowsAsSoonAsAHeartbeatIsReadEvenBeforeItIsSynced() {
        c2.startOver(view);
        view.onPollComplete();
        assertThat(view.snapshot().clusters().get(2).cluster()).isEqualTo(ClusterId.unnamed(2));

        c2.put(1, 1, new Heartbeat(clock.instant(), "c2")).poll(view);

        ClusterView c = view.snapshot().clusters().get(2);
        assertThat(c.cluster()).isEqualTo(new ClusterId(2, "c2"));
        assertThat(c.status().synced()).isFalse();
    }

    @Test
    void aReaderThatStartedBeforeThePublisherCountsTheClusterOnceItsSnapshotIsRead() {
        c2.startOver(view);
        c2.pollToEnd(view); // the topic exists, empty: read to its end, yet no snapshot in it
        ClusterStatus empty = view.snapshot().clusters().get(2).status();
        assertThat(empty.synced()).isFalse();
        assertThat(empty.available()).isFalse();

        c2.put(1, 1, slice(2, "a", "10.0.0.1")).synced(1, 2, clock.instant()).poll(view);

        ClusterView c = view.snapshot().clusters().get(2);
        assertThat(c.status().synced()).isTrue();
        assertThat(c.status().available()).isTrue();
        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
    }

    @Test
    void aTopicReadToItsEndWithoutASnapshotInItIsNeitherSyncedNorAvailable() {
        // A heartbeat and a slice, but no meta/synced: not a publisher's complete state.
        c2.startOver(view);
        c2.put(1, 1, slice(2, "a", "10.0.0.1"))
                .put(1, 2, new Heartbeat(clock.instant(), "c2"))
                .pollToEnd(view);

        ClusterView c = view.snapshot().clusters().get(2);
        assertThat(c.status().synced()).isFalse();
        assertThat(c.status().available()).isFalse();
        assertThat(c.slices()).isEmpty();
        assertThat(view.snapshot().endpointSlices(WEB)).isEmpty();
    }

    @Test
    void eachListenerGetsEverySnapshotOnceInOrderFromTheOneCurrentWhenItSubscribed() {
        List<MeshSnapshot> late = new ArrayList<>();
        view.subscribe(seen::add);
        c2.startOver(view);
        view.onPollComplete();
        view.subscribe(late::add);
        c2.put(1, 1, slice(2, "a", "10.0.0.1")).synced(1, 2, clock.instant()).pollToEnd(view);
        List<MeshSnapshot> closed = new ArrayList<>();
        view.subscribe(closed::add).close();
        view.forget(2);

        assertThat(seen).extracting(MeshSnapshot::version).containsExactly(0L, 1L, 2L, 3L);
        assertThat(late).extracting(MeshSnapshot::version).containsExactly(1L, 2L, 3L);
        assertThat(closed).extracting(MeshSnapshot::version).containsExactly(2L);
        assertThat(seen.getLast()).isSameAs(view.snapshot());
    }

    @Test
    void aForgottenClusterLeavesTheSnapshotAtOnceAndIsReadAgainFromItsStart() {
        clusterTwoSynced();
        List<String> rewound = new ArrayList<>();
        view.rewindThrough(rewound::add);

        view.forget(2);
        assertThat(view.snapshot().clusters()).isEmpty();

        c2.put(1, 4, new Heartbeat(clock.instant(), "c2")).pollToEnd(view);
        assertThat(rewound).containsExactly(c2.topic.topic());
        assertThat(view.snapshot().clusters()).isEmpty();
        assertThat(view.metrics(Map.of()).ignored()).isEqualTo(1);

        c2.startOver(view);
        c2.pollToEnd(view);
        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
    }

    @Test
    void forgettingAClusterTheViewDoesNotHoldChangesNothing() {
        clusterTwoSynced();
        MeshSnapshot before = view.snapshot();
        List<String> rewound = new ArrayList<>();
        view.rewindThrough(rewound::add);

        view.forget(3);
        assertThat(view.snapshot()).isSameAs(before);

        var c3 = new ScriptedTopic(3);
        c3.startOver(view);
        c3.put(1, 1, slice(3, "a", "10.0.3.1")).synced(1, 2, clock.instant()).pollToEnd(view);
        assertThat(rewound).isEmpty();
        assertThat(view.snapshot().endpointSlices(WEB)).hasSize(2);
    }

    @Test
    void aClusterIsForgottenOnlyWhenSilentLongerThanForgetAfter() {
        clusterTwoSynced();

        clock.advance(FORGET_AFTER);
        view.tick();
        assertThat(view.snapshot().clusters()).containsKey(2);
        assertThat(view.snapshot().clusters().get(2).status().available()).isFalse();

        clock.advance(Duration.ofMillis(1));
        view.tick();
        assertThat(view.snapshot().clusters()).doesNotContainKey(2);
    }

    @Test
    void aClusterThatNeverSpokeIsForgottenByTheTimeSinceItsTopicAppeared() {
        c2.startOver(view);
        view.onPollComplete();

        clock.advance(FORGET_AFTER);
        view.tick();
        assertThat(view.snapshot().clusters()).containsKey(2);
        clock.advance(Duration.ofMillis(1));
        view.tick();
        assertThat(view.snapshot().clusters()).doesNotContainKey(2);
    }
}
