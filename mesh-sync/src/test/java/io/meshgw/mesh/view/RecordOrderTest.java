package io.meshgw.mesh.view;

import static io.meshgw.mesh.view.MeshViewTest.WEB;
import static io.meshgw.mesh.view.MeshViewTest.slice;
import static io.meshgw.mesh.view.MeshViewTest.svc;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.wire.StateTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which records a view applies, in what order, and how it counts them: per key the newest in
 * (epoch, seq) order, per cluster never an epoch older than one already read, deletes remembered
 * against older records, and the figures a metrics endpoint shows for each.
 */
class RecordOrderTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final MeshView view = new MeshView(
            new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock));
    final ScriptedTopic c2 = new ScriptedTopic(2);

    @Test
    void anOlderRecordForAKeyIsIgnoredAndCountedApartFromTheApplied() {
        c2.startOver(view);
        c2.put(1, 1, slice(2, "a", "10.0.0.1"))
                .put(1, 3, slice(2, "a", "10.0.0.3"))
                .put(1, 2, slice(2, "a", "10.0.0.2"))
                .put(1, 3, slice(2, "a", "10.0.0.4")) // the same (epoch, seq) again is not newer
                .synced(1, 4, clock.instant())
                .pollToEnd(view);

        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.3"));
        MeshMetrics m = view.metrics(Map.of());
        assertThat(m.applied()).isEqualTo(4);
        assertThat(m.ignored()).isEqualTo(2);
        assertThat(m.clusters().get(2).applied()).isEqualTo(4);
        assertThat(m.clusters().get(2).ignored()).isEqualTo(2);
    }

    @Test
    void aRecordOfAnEpochOlderThanOneAlreadyReadIsAZombiesWhateverItsKey() {
        c2.startOver(view);
        c2.synced(2, 1, clock.instant())
                .put(1, 9, slice(2, "b", "10.0.0.9")) // a key epoch 2 never wrote
                .put(2, 3, slice(2, "a", "10.0.0.1"))
                .pollToEnd(view);

        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
        assertThat(view.metrics(Map.of()).clusters().get(2).ignored()).isEqualTo(1);
        assertThat(view.snapshot().clusters().get(2).status().epoch()).isEqualTo(2);
    }

    @Test
    void aDeleteOutlivesTheMarkerOfItsOwnEpochSoAnOlderPutCannotBringTheKeyBack() {
        c2.startOver(view);
        c2.put(2, 1, slice(2, "a", "10.0.0.1"))
                .delete(2, 2, slice(2, "a").key())
                .synced(2, 3, clock.instant())
                .pollToEnd(view);
        assertThat(view.snapshot().endpointSlices(WEB)).isEmpty();

        c2.put(2, 1, slice(2, "a", "10.0.0.1")).pollToEnd(view); // delivered again
        assertThat(view.snapshot().endpointSlices(WEB)).isEmpty();
        assertThat(view.metrics(Map.of()).clusters().get(2).ignored()).isEqualTo(1);
    }

    @Test
    void keysCountWhatTheClusterExportsNotItsMetaRecordsNorItsDeletes() {
        c2.startOver(view);
        c2.put(1, 1, svc("web"))
                .put(1, 2, slice(2, "a", "10.0.0.1"))
                .put(1, 3, slice(2, "b", "10.0.0.2"))
                .put(1, 4, new GatewayAddress("node-1", List.of(StateSamples.ip("192.0.2.1"))))
                .delete(1, 5, slice(2, "b").key())
                .synced(1, 6, clock.instant())
                .pollToEnd(view);

        assertThat(view.metrics(Map.of()).clusters().get(2).keys()).isEqualTo(3);
        ClusterView c = view.snapshot().clusters().get(2);
        assertThat(c.services()).containsOnlyKeys(svc("web").key());
        assertThat(c.slices()).containsOnlyKeys(slice(2, "a").key());
        assertThat(c.gateways()).hasSize(1);
    }

    @Test
    void whileATopicIsReadAgainItsKeysStillCountAndItsLastCompleteViewStands() {
        c2.startOver(view);
        c2.put(1, 1, slice(2, "a", "10.0.0.1"))
                .put(1, 2, slice(2, "b", "10.0.0.2"))
                .synced(1, 3, clock.instant())
                .pollToEnd(view);
        MeshSnapshot complete = view.snapshot();

        c2.startOver(view);
        view.onPollComplete();
        assertThat(view.metrics(Map.of()).clusters().get(2).keys()).isEqualTo(2);
        assertThat(view.snapshot().clusters().get(2).slices())
                .isEqualTo(complete.clusters().get(2).slices());

        c2.poll(view); // the whole log again, its end not yet confirmed: nothing of it shows yet
        assertThat(view.snapshot().endpointSlices(WEB)).hasSize(2);
        c2.pollToEnd(view);
        assertThat(view.snapshot().endpointSlices(WEB))
                .extracting(EndpointSlice::slice)
                .containsExactly("a", "b");
        assertThat(view.metrics(Map.of()).clusters().get(2).keys()).isEqualTo(2);
    }

    @Test
    void recordsOfATopicNeverAnnouncedStillMakeItsCluster() {
        c2.put(1, 1, slice(2, "a", "10.0.0.1")).synced(1, 2, clock.instant()).pollToEnd(view);

        assertThat(view.snapshot().endpointSlices(WEB)).containsExactly(slice(2, "a", "10.0.0.1"));
    }
}
