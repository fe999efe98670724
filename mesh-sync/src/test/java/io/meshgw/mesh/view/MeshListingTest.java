package io.meshgw.mesh.view;

import static io.meshgw.mesh.view.MeshViewTest.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.wire.StateTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A view is synced only once the reader has listed the mesh's topics and read every cluster it found to its end.
 * Before the first listing the view holds no cluster because it knows none, not because there is none: a gateway
 * that took that for "synced" planned its first pass without the other clusters' backends.
 */
class MeshListingTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MeshView view = new MeshView(
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock));
    final ScriptedTopic c2 = new ScriptedTopic(2);

    @Test
    void aViewThatHasNotListedTheTopicsIsNotSynced() {
        MeshSnapshot fresh = view.snapshot();

        assertThat(fresh.clusters()).isEmpty();
        assertThat(fresh.listed()).isFalse();
        assertThat(fresh.synced()).isFalse();
    }

    @Test
    void aListingThatFindsNoOtherClusterIsSyncedAndDeliveredAsANewSnapshot() {
        List<MeshSnapshot> seen = new ArrayList<>();
        view.subscribe(seen::add);

        view.onTopicsListed();

        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).listed()).isTrue();
        assertThat(seen.get(1).synced()).isTrue();
    }

    @Test
    void aListedClusterHoldsSyncBackUntilItsTopicIsReadToItsEndWithASnapshotInIt() {
        c2.startOver(view);
        view.onTopicsListed();
        assertThat(view.snapshot().synced()).isFalse();

        c2.put(1, 1, slice(2, "a", "10.0.0.1")).poll(view);
        assertThat(view.snapshot().synced()).isFalse();

        c2.synced(1, 2, clock.instant()).pollToEnd(view);
        assertThat(view.snapshot().synced()).isTrue();
    }

    @Test
    void aClusterSyncedBeforeTheListingEndsIsNotEnoughWithoutIt() {
        c2.startOver(view);
        c2.put(1, 1, slice(2, "a", "10.0.0.1")).synced(1, 2, clock.instant()).pollToEnd(view);

        assertThat(view.snapshot().clusters().get(2).status().synced()).isTrue();
        assertThat(view.snapshot().synced()).isFalse();
    }

    @Test
    void listingAgainMakesNoSnapshot() {
        view.onTopicsListed();
        MeshSnapshot once = view.snapshot();

        view.onTopicsListed();
        view.onPollComplete();

        assertThat(view.snapshot()).isSameAs(once);
    }
}
