package io.meshgw.gateway.api.v1;

/**
 * One cluster of the mesh as this gateway reads its topic, an element of
 * {@code GET /api/v1/mesh/clusters}.
 *
 * @param clusterId the cluster's id, 1..4095, named as in a MeshCluster's spec
 * @param synced its topic was read to the end and held a complete snapshot
 * @param available synced and heard from recently: only then do its endpoints count
 * @param lastHeartbeatAgeMs milliseconds since its last heartbeat, null if none was seen
 * @param lag records between the reader and the end of its topic, -1 if unknown
 */
public record MeshClusterView(
        int clusterId,
        String name,
        boolean synced,
        boolean available,
        Long lastHeartbeatAgeMs,
        long lag,
        long recordsApplied,
        long recordsRejected,
        int services,
        int endpoints) {}
