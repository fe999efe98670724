package io.meshgw.bench;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.testkit.KafkaCluster;
import io.meshgw.types.ClusterId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * mesh-sync on a three-node KRaft cluster (replication factor 3, {@code min.insync.replicas} 2) when the broker that
 * leads the publishing cluster's topic is SIGKILLed and restarted: latency from {@code ClusterPublisher.put} of an
 * EndpointSlice to the remote {@code MeshView} snapshot that holds it, at a steady rate, in a phase without a kill (the
 * baseline) and in a phase with one, on the same cluster in the same run. The failover window runs from the kill until
 * the restarted broker is back in sync.
 *
 * <p>Publisher and reader run with the gateway's settings: request timeout 15 s, heartbeat 2 s, a cluster unavailable
 * after 10 s of silence. Usage: {@code MeshFailoverBench [rate=100] [seconds=20] [restart-after-seconds=5]}.
 */
public final class MeshFailoverBench {

    private static final int PUBLISHER = 2;
    private static final int READER = 1;

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Duration restartAfter = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 5);
        try (KafkaCluster kafka = KafkaCluster.start()) {
            System.out.printf(
                    Locale.ROOT,
                    "3-node KRaft cluster %s; %d slice updates/s of %d endpoints, %d s per phase%n%n",
                    kafka.bootstrapServers(),
                    rate,
                    MeshSyncBench.ENDPOINTS_PER_SLICE,
                    seconds);
            Phase warm = Phase.open(kafka, "bench-failover-warm.");
            warm.run(rate, 5, null);
            warm.close();

            Phase steady = Phase.open(kafka, "bench-failover-steady.");
            LatencySample baseline = steady.run(rate, seconds, null);
            steady.close();

            Phase failover = Phase.open(kafka, "bench-failover-kill.");
            Failover f = new Failover(kafka, failover.topic, restartAfter);
            LatencySample whole = failover.run(rate, seconds, f);
            failover.close();
            LatencySample window = whole.sentBetween(f.killedAt, f.inSyncAt);

            System.out.println(LatencySample.header());
            System.out.println(baseline.row("steady, no kill (baseline)", rate, baseline.sentCount()));
            System.out.println(whole.row("phase with the leader killed", rate, whole.sentCount()));
            System.out.println(window.row("failover window", rate, window.sentCount()));
            System.out.printf(
                    Locale.ROOT,
                    "%nleader %d SIGKILLed; new leader %d after %.1f s; restarted after %.1f s; all 3 in sync %.1f s"
                            + " after the kill%n",
                    f.killed,
                    f.newLeader,
                    (f.newLeaderAt - f.killedAt) / 1e9,
                    (f.restartedAt - f.killedAt) / 1e9,
                    (f.inSyncAt - f.killedAt) / 1e9);
            System.out.printf(
                    Locale.ROOT,
                    "remote view: cluster unavailable in %d snapshot(s) of the failover phase, %d in the baseline;"
                            + " publisher fenced: %b; updates never seen: %d%n",
                    failover.unavailableSnapshots.get(),
                    steady.unavailableSnapshots.get(),
                    failover.fenced,
                    whole.sentCount() - whole.measured());
        }
    }

    /** Kills the topic's leader two seconds into a phase, restarts it {@code restartAfter} later. */
    private static final class Failover {
        private final KafkaCluster kafka;
        private final String topic;
        private final Duration restartAfter;
        private volatile int killed;
        private volatile int newLeader;
        private volatile long killedAt;
        private volatile long newLeaderAt;
        private volatile long restartedAt;
        private volatile long inSyncAt;

        Failover(KafkaCluster kafka, String topic, Duration restartAfter) {
            this.kafka = kafka;
            this.topic = topic;
            this.restartAfter = restartAfter;
        }

        void run() {
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos());
            killed = kafka.leaderOf(topic);
            killedAt = System.nanoTime();
            kafka.kill(killed);
            newLeader = kafka.awaitLeaderOtherThan(topic, killed, Duration.ofSeconds(90));
            newLeaderAt = System.nanoTime();
            LockSupport.parkNanos(killedAt + restartAfter.toNanos() - System.nanoTime());
            restartedAt = System.nanoTime();
            kafka.restart(killed);
            kafka.awaitFullyReplicated(topic, Duration.ofSeconds(120));
            inSyncAt = System.nanoTime();
        }
    }

    /** One publisher cluster and one remote reader on their own topics. */
    private static final class Phase implements AutoCloseable {
        private final String topic;
        private final ClusterPublisher publisher;
        private final MeshReader reader;
        private final MeshView view;
        private final AtomicInteger unavailableSnapshots = new AtomicInteger();
        private boolean fenced;

        private Phase(String topic, ClusterPublisher publisher, MeshReader reader, MeshView view) {
            this.topic = topic;
            this.publisher = publisher;
            this.reader = reader;
            this.view = view;
        }

        static Phase open(KafkaCluster kafka, String prefix) {
            StateTopics topics = new StateTopics(prefix);
            List<StateValue> initial = new ArrayList<>();
            initial.add(MeshSyncBench.service());
            for (int s = 0; s < MeshSyncBench.SLICES_UNDER_TEST; s++) {
                initial.add(MeshSyncBench.slice(PUBLISHER, s, 0));
            }
            var options = PublisherOptions.defaults(new ClusterId(PUBLISHER, "bench"))
                    .withTopics(topics)
                    .withHeartbeatInterval(Duration.ofSeconds(2));
            var publisher = ClusterPublisher.openOnKafka(
                    settings(kafka, "bench-pub"), options, TopicReplication.production(), initial);
            var vo = new ViewOptions(topics, READER, Duration.ofSeconds(10), Duration.ofHours(1), Clock.systemUTC());
            var view = new MeshView(vo);
            var reader = MeshReader.start(
                    settings(kafka, "bench-view"), vo, view, Duration.ofSeconds(5), Duration.ofMillis(500));
            MeshSyncBench.awaitSynced(view, PUBLISHER, Duration.ofSeconds(60));
            return new Phase(topics.topicOf(PUBLISHER), publisher, reader, view);
        }

        private static KafkaSettings settings(KafkaCluster kafka, String clientId) {
            return new KafkaSettings(kafka.bootstrapServers(), java.util.Map.of(), clientId, Duration.ofSeconds(15));
        }

        /** Updates the slices round-robin at {@code rate}/s for {@code seconds} (longer while a failover runs). */
        LatencySample run(int rate, int seconds, Failover failover) throws InterruptedException {
            int slices = MeshSyncBench.SLICES_UNDER_TEST;
            int capacity = rate * (seconds + 600) + 1;
            LatencySample sample = new LatencySample(capacity);
            var subscription = view.subscribe(snapshot -> {
                long now = System.nanoTime();
                ClusterView c = snapshot.clusters().get(PUBLISHER);
                if (c == null) {
                    return;
                }
                if (!c.status().available()) {
                    unavailableSnapshots.incrementAndGet();
                }
                for (EndpointSlice s : c.slices().values()) {
                    sample.arrivedSuperseding(MeshSyncBench.sequenceOf(s), slices, now);
                }
            });
            Thread killer = failover == null
                    ? null
                    : Thread.ofPlatform().name("failover").start(failover::run);
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long end = start + Duration.ofSeconds(seconds).toNanos();
            int i = 0;
            while ((System.nanoTime() < end || (killer != null && killer.isAlive())) && i + 1 < capacity) {
                long wait = start + i * period - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                EndpointSlice s = MeshSyncBench.slice(PUBLISHER, i % slices, i + 1);
                sample.sent(i + 1, System.nanoTime());
                try {
                    publisher.put(s);
                } catch (RuntimeException e) {
                    fenced = publisher.fenced();
                    System.out.println("publisher stopped taking updates: " + e);
                    break;
                }
                i++;
            }
            if (killer != null) {
                killer.join();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!sample.has(i) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            fenced |= publisher.fenced();
            subscription.close();
            return sample;
        }

        @Override
        public void close() {
            reader.close();
            publisher.close();
        }
    }
}
