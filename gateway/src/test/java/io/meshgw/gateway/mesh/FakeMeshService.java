package io.meshgw.gateway.mesh;

import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.operator.port.RemoteExport;
import jakarta.enterprise.inject.Vetoed;
import java.util.List;
import java.util.Optional;

/**
 * mesh-sync's state as fixed values: a snapshot of the clusters and the reader's figures,
 * without a broker. The other clusters' exports are derived from
 * the snapshot the way the real service derives them.
 *
 * <p>Vetoed: it inherits {@code @ApplicationScoped} and must not become a second bean;
 * {@code QuarkusMock} puts an instance in place of the real one for a test.
 */
@Vetoed
public class FakeMeshService extends MeshService {

    private final int localCluster;
    private final MeshSnapshot snapshot;
    private final MeshMetrics metrics;

    public FakeMeshService(int localCluster, MeshSnapshot snapshot, MeshMetrics metrics) {
        super(null);
        this.localCluster = localCluster;
        this.snapshot = snapshot;
        this.metrics = metrics;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public Optional<MeshSnapshot> snapshot() {
        return Optional.of(snapshot);
    }

    @Override
    public Optional<MeshMetrics> metrics() {
        return Optional.of(metrics);
    }

    @Override
    public List<RemoteExport> remoteExports() {
        return snapshot.available().stream()
                .filter(c -> c.cluster().id() != localCluster)
                .flatMap(c -> MeshRecords.remoteExports(c).stream())
                .toList();
    }
}
