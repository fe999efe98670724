package io.meshgw.mesh.view;

import java.time.Duration;
import java.util.Optional;

/**
 * How a remote cluster stands, as of a snapshot.
 *
 * @param synced the reader has read the cluster's topic to its end and seen a complete snapshot
 *     (a {@code meta/synced}) in it; false while catching up
 * @param available the cluster has been synced and its last heartbeat is recent: only then do its
 *     endpoints count
 * @param lastHeartbeatAge since the last heartbeat, on the reader's clock; empty if none yet
 * @param epoch the publisher epoch of the newest record applied
 */
public record ClusterStatus(boolean synced, boolean available, Optional<Duration> lastHeartbeatAge, long epoch) {

    /** Same gate decisions; the age alone does not make a new snapshot. */
    boolean sameGates(ClusterStatus o) {
        return o != null && synced == o.synced && available == o.available && epoch == o.epoch;
    }
}
