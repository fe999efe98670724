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
 */
public record ViewOptions(
        StateTopics topics, int localCluster, Duration unavailableAfter, Duration forgetAfter, Clock clock) {

    public ViewOptions {
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
        return new ViewOptions(topics, localCluster, unavailable, forget, clock);
    }

    public ViewOptions withClock(Clock c) {
        return new ViewOptions(topics, localCluster, unavailableAfter, forgetAfter, c);
    }
}
