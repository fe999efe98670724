package io.meshgw.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.ClusterStatus;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the admin API says of each cluster: the snapshot's content with the reader's figures as of now. */
class MeshClusterViewsTest {
    static final ClusterId EAST = new ClusterId(1, "east");

    static MeshSnapshot snapshotTaken(Duration heartbeatAgeThen) {
        var status = new ClusterStatus(true, true, Optional.of(heartbeatAgeThen), 1);
        var east = new ClusterView(EAST, status, Map.of(), Map.of(), Map.of());
        return new MeshSnapshot(7, Instant.EPOCH, Map.of(1, east), true);
    }

    @Test
    void theHeartbeatAgeIsTheReadersNowNotTheOneFrozenInTheLastSnapshot() {
        // A snapshot is only made when a gate changes; a cluster that has been silent for 5 s since still shows the
        // 0.4 s it had then.
        var metrics = new MeshMetrics(
                10,
                0,
                0,
                Map.of(1, new ClusterMetrics(EAST, 0, 10, 0, 0, Optional.of(Duration.ofSeconds(5)), true, true, 1, 2)));

        var view = MeshClusterViews.of(Optional.of(snapshotTaken(Duration.ofMillis(400))), Optional.of(metrics));

        assertThat(view)
                .singleElement()
                .satisfies(c -> assertThat(c.lastHeartbeatAgeMs()).isEqualTo(5000L));
    }

    @Test
    void withoutTheReadersFiguresTheSnapshotsAgeIsShown() {
        var view = MeshClusterViews.of(Optional.of(snapshotTaken(Duration.ofMillis(400))), Optional.empty());

        assertThat(view).singleElement().satisfies(c -> {
            assertThat(c.lastHeartbeatAgeMs()).isEqualTo(400L);
            assertThat(c.lag()).isEqualTo(-1);
        });
    }
}
