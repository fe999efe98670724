package io.meshgw.mesh.view;

import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One remote cluster's figures for the gateway's metrics endpoint.
 *
 * @param lag records between the reader and the end of the cluster's topic (-1 if unknown)
 * @param ignored valid records not applied because a newer one for the key, or a newer epoch,
 *     was already applied (a zombie publisher or a replay)
 * @param overKeyLimit new keys not taken because the cluster held {@code ViewOptions.maxKeysPerCluster} keys
 * @param addressesRejected addresses taken out of the cluster's endpoints and gateways, by why
 * @param readProblem why the reader does not keep this cluster current (its consumer failed, or it may not read the
 *     topic); empty while it does
 */
public record ClusterMetrics(
        ClusterId cluster,
        long lag,
        long applied,
        long rejected,
        long ignored,
        Optional<Duration> lastHeartbeatAge,
        boolean synced,
        boolean available,
        long epoch,
        int keys,
        long overKeyLimit,
        Map<ForbiddenAddress, Long> addressesRejected,
        Optional<String> readProblem) {

    public ClusterMetrics {
        addressesRejected = Map.copyOf(addressesRejected);
    }

    /** Figures of a cluster that has nothing over its key limit and no rejected address. */
    public ClusterMetrics(
            ClusterId cluster,
            long lag,
            long applied,
            long rejected,
            long ignored,
            Optional<Duration> lastHeartbeatAge,
            boolean synced,
            boolean available,
            long epoch,
            int keys) {
        this(
                cluster,
                lag,
                applied,
                rejected,
                ignored,
                lastHeartbeatAge,
                synced,
                available,
                epoch,
                keys,
                0,
                Map.of(),
                Optional.empty());
    }
}
