package io.meshgw.mesh.view;

import java.util.Map;

/**
 * The reader's figures as a plain record, so the gateway exports them with whatever metrics
 * library it uses and mesh-sync depends on none.
 *
 * @param rejected records that failed validation, including those of topics that name no cluster
 */
public record MeshMetrics(long applied, long rejected, long ignored, Map<Integer, ClusterMetrics> clusters) {

    public MeshMetrics {
        clusters = Map.copyOf(clusters);
    }
}
