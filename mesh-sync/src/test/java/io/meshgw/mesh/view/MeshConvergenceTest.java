package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property, over seeded random histories: whatever a publisher does (changes, restarts with a
 * different state, failed transactions) and whatever the log loses to compaction, a reader that
 * follows the topic and a reader that comes back after an absence both end up with exactly the
 * publisher's desired state.
 */
class MeshConvergenceTest {

    private static final Duration T = Duration.ofSeconds(5);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void followersAndReturningReadersConvergeOnTheDesiredState() {
        for (long seed = 1; seed <= 25; seed++) {
            run(seed);
        }
    }

    private void run(long seed) {
        Random random = new Random(seed);
        var topic = new InMemoryTopic("meshgw.state.2");
        var options = PublisherOptions.defaults(new ClusterId(2, "c2"))
                .withHeartbeatInterval(Duration.ofHours(1))
                .withClock(clock)
                .withMaxBatch(1 + random.nextInt(5))
                .withRetryBackoff(Duration.ofMillis(1));
        ViewOptions viewOptions =
                new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock);
        Map<EndpointSliceKey, EndpointSlice> desired = new HashMap<>();
        var follower = new MeshView(viewOptions);
        var returning = new MeshView(viewOptions);
        long followed = topic.replay(follower);
        topic.replay(returning);
        ClusterPublisher p = ClusterPublisher.start(options, topic.open(), List.of());
        try {
            for (int step = 0; step < 150; step++) {
                int op = random.nextInt(20);
                if (op < 11) {
                    EndpointSlice s = slice(random);
                    desired.put(s.key(), s);
                    p.put(s);
                } else if (op < 16 && !desired.isEmpty()) {
                    EndpointSliceKey k = new ArrayList<>(desired.keySet()).get(random.nextInt(desired.size()));
                    desired.remove(k);
                    p.remove(k);
                } else if (op == 16) {
                    topic.failNextTransactions(1 + random.nextInt(2));
                    EndpointSlice s = slice(random);
                    desired.put(s.key(), s);
                    p.put(s);
                } else if (op == 17) {
                    p.close();
                    // The restarted publisher's state differs from what the topic holds.
                    for (int i = random.nextInt(3); i > 0; i--) {
                        EndpointSlice s = slice(random);
                        desired.put(s.key(), s);
                    }
                    if (!desired.isEmpty() && random.nextBoolean()) {
                        desired.remove(desired.keySet().iterator().next());
                    }
                    p = ClusterPublisher.start(options, topic.open(), desired.values());
                } else if (op == 18) {
                    topic.compactAway();
                } else {
                    p.flush(T);
                    topic.replay(returning);
                    assertThat(slices(returning))
                            .as("seed %d step %d: returning reader", seed, step)
                            .isEqualTo(desired);
                }
                p.flush(T);
                followed = topic.deliver(follower, followed);
                assertThat(slices(follower))
                        .as("seed %d step %d: follower", seed, step)
                        .isEqualTo(desired);
            }
        } finally {
            p.close();
        }
        topic.compactAway();
        var fresh = new MeshView(viewOptions);
        topic.replay(fresh);
        assertThat(slices(fresh))
                .as("seed %d: a fresh reader of the compacted log", seed)
                .isEqualTo(desired);
    }

    private static Map<EndpointSliceKey, EndpointSlice> slices(MeshView view) {
        ClusterView c = view.snapshot().clusters().get(2);
        return c == null ? Map.of() : c.slices();
    }

    private static EndpointSlice slice(Random random) {
        int n = random.nextInt(3);
        List<Endpoint> eps = new ArrayList<>();
        for (int i = 0; i <= n; i++) {
            eps.add(Endpoint.ready(StateSamples.ip("10.0." + random.nextInt(4) + "." + (1 + random.nextInt(250)))));
        }
        return new EndpointSlice(
                "default", "web", "s" + random.nextInt(12), 2, List.of(ServicePort.tcp("http", 8080)), eps);
    }
}
