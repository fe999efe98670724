package io.meshgw.gateway.mesh;

import io.meshgw.gateway.api.v1.MeshClusterView;
import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshSnapshot;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The clusters of a mesh snapshot and the reader's figures for them, as the admin API shows them. */
final class MeshClusterViews {

    private MeshClusterViews() {}

    /** One row per cluster of the snapshot, by id; none before the first snapshot. */
    static List<MeshClusterView> of(Optional<MeshSnapshot> snapshot, Optional<MeshMetrics> metrics) {
        Map<Integer, ClusterMetrics> figures =
                metrics.map(MeshMetrics::clusters).orElse(Map.of());
        return snapshot.map(s -> s.clusters().values().stream()
                        .sorted(Comparator.comparingInt(c -> c.cluster().id()))
                        .map(c -> view(c, figures.get(c.cluster().id())))
                        .toList())
                .orElse(List.of());
    }

    private static MeshClusterView view(ClusterView c, ClusterMetrics m) {
        int endpoints = c.slices().values().stream()
                .mapToInt(sl -> sl.endpoints().size())
                .sum();
        return new MeshClusterView(
                c.cluster().id(),
                c.cluster().name(),
                c.status().synced(),
                c.status().available(),
                // The reader's figure is as of now; the snapshot's is as of the last change of a gate, since a
                // heartbeat's age alone makes no new snapshot.
                (m == null ? c.status().lastHeartbeatAge() : m.lastHeartbeatAge())
                        .map(Duration::toMillis)
                        .orElse(null),
                m == null ? -1 : m.lag(),
                m == null ? 0 : m.applied(),
                m == null ? 0 : m.rejected(),
                c.services().size(),
                endpoints);
    }
}
