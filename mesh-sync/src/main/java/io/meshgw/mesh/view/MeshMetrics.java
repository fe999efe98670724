package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.ReaderHealth;
import java.util.Map;
import java.util.Optional;

/**
 * The reader's figures as a plain record, so the gateway exports them with whatever metrics
 * library it uses and mesh-sync depends on none.
 *
 * @param rejected records that failed validation, including those of topics that name no cluster
 * @param reader whether the transport reads, and why not
 */
public record MeshMetrics(
        long applied, long rejected, long ignored, Map<Integer, ClusterMetrics> clusters, ReaderHealth reader) {

    /** A reader that reads. */
    public static final ReaderHealth READING = new ReaderHealth(Optional.empty(), 0, Map.of());

    public MeshMetrics {
        clusters = Map.copyOf(clusters);
    }

    public MeshMetrics(long applied, long rejected, long ignored, Map<Integer, ClusterMetrics> clusters) {
        this(applied, rejected, ignored, clusters, READING);
    }

    public MeshMetrics withReader(ReaderHealth health) {
        return new MeshMetrics(applied, rejected, ignored, clusters, health);
    }
}
