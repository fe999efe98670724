package io.meshgw.mesh.view;

import io.meshgw.mesh.wire.StateTopics;
import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link MeshView} judges the other clusters.
 *
 * @param localCluster this gateway's own cluster, whose topic is not part of the remote view (0 for
 *     none, e.g. a monitoring reader)
 * @param unavailableAfter a cluster whose last heartbeat is older than this is unavailable: its
 *     endpoints leave the view until it is heard again, its state is kept
 * @param forgetAfter a cluster silent for this long is dropped entirely (garbage collected); should
 *     be far longer than any outage worth riding out
 * @param clock the reader's own clock; heartbeat ages are measured on it, never on the publisher's
 * @param maxKeysPerCluster most keys held for one cluster (remembered deletes included); a new key beyond it is not
 *     taken, and counted, so one cluster that publishes without bound cannot exhaust this gateway
 */
public record ViewOptions(
        StateTopics topics,
        int localCluster,
        Duration unavailableAfter,
        Duration forgetAfter,
        Clock clock,
        int maxKeysPerCluster) {

    /** Far above a real cluster (a key per service and per EndpointSlice), far below what exhausts memory. */
    public static final int DEFAULT_MAX_KEYS_PER_CLUSTER = 200_000;

    public ViewOptions(
            StateTopics topics, int localCluster, Duration unavailableAfter, Duration forgetAfter, Clock clock) {
        this(topics, localCluster, unavailableAfter, forgetAfter, clock, DEFAULT_MAX_KEYS_PER_CLUSTER);
    }

    public ViewOptions {
        if (maxKeysPerCluster < 1) {
            throw new IllegalArgumentException("maxKeysPerCluster must be at least 1, not " + maxKeysPerCluster);
        }
        if (unavailableAfter.isNegative() || unavailableAfter.isZero()) {
            throw new IllegalArgumentException("unavailableAfter must be positive, not " + unavailableAfter);
        }
        if (forgetAfter.compareTo(unavailableAfter) <= 0) {
            throw new IllegalArgumentException("forgetAfter (" + forgetAfter
                    + ") must be longer than unavailableAfter (" + unavailableAfter + ")");
        }
    }

    public static ViewOptions defaults(int localCluster) {
        return new ViewOptions(
                StateTopics.DEFAULT, localCluster, Duration.ofSeconds(10), Duration.ofHours(24), Clock.systemUTC());
    }

    public ViewOptions withTimeouts(Duration unavailable, Duration forget) {
        return new ViewOptions(topics, localCluster, unavailable, forget, clock, maxKeysPerCluster);
    }

    public ViewOptions withClock(Clock c) {
        return new ViewOptions(topics, localCluster, unavailableAfter, forgetAfter, c, maxKeysPerCluster);
    }

    public ViewOptions withMaxKeysPerCluster(int n) {
        return new ViewOptions(topics, localCluster, unavailableAfter, forgetAfter, clock, n);
    }
}
