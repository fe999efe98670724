package io.meshgw.mesh.view;

import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.util.Optional;

/**
 * One remote cluster's figures for the gateway's metrics endpoint.
 *
 * @param lag records between the reader and the end of the cluster's topic (-1 if unknown)
 * @param ignored valid records not applied because a newer one for the key, or a newer epoch,
 *     was already applied (a zombie publisher or a replay)
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
        int keys) {}
