package io.meshgw.mesh.publish;

import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import java.time.Clock;
import java.time.Duration;

/**
 * How a {@link ClusterPublisher} runs.
 *
 * @param cluster the cluster whose state is published; its topic is {@code topics.topicOf(cluster)}
 * @param heartbeatInterval how often {@code meta/heartbeat} is written; readers mark the cluster
 *     unavailable after several missed ones, so keep it well below their {@code unavailableAfter}
 * @param maxBatch most records in one incremental transaction, so a burst of changes cannot make a
 *     transaction unboundedly large; the rest follows in the next one
 * @param retryBackoff first wait after a failed transaction, doubled up to ten times that
 * @param clock the timestamp source of heartbeats
 */
public record PublisherOptions(
        ClusterId cluster,
        StateTopics topics,
        Duration heartbeatInterval,
        int maxBatch,
        Duration retryBackoff,
        Clock clock) {

    public PublisherOptions {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeatInterval must be positive, not " + heartbeatInterval);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, not " + maxBatch);
        }
    }

    public static PublisherOptions defaults(ClusterId cluster) {
        return new PublisherOptions(
                cluster, StateTopics.DEFAULT, Duration.ofSeconds(2), 5_000, Duration.ofMillis(200), Clock.systemUTC());
    }

    public PublisherOptions withHeartbeatInterval(Duration interval) {
        return new PublisherOptions(cluster, topics, interval, maxBatch, retryBackoff, clock);
    }

    public PublisherOptions withTopics(StateTopics t) {
        return new PublisherOptions(cluster, t, heartbeatInterval, maxBatch, retryBackoff, clock);
    }

    public PublisherOptions withClock(Clock c) {
        return new PublisherOptions(cluster, topics, heartbeatInterval, maxBatch, retryBackoff, c);
    }

    public PublisherOptions withRetryBackoff(Duration backoff) {
        return new PublisherOptions(cluster, topics, heartbeatInterval, maxBatch, backoff, clock);
    }

    public PublisherOptions withMaxBatch(int n) {
        return new PublisherOptions(cluster, topics, heartbeatInterval, n, retryBackoff, clock);
    }
}
