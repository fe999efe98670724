package io.meshgw.bench;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.kafka.RecordSink;
import io.meshgw.mesh.kafka.StateReader;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * A gateway starting cold: how long until its view holds every endpoint of every cluster, synced,
 * beside the same transport reading the same topics to their end without validating, decoding or
 * building anything.
 */
final class ColdRebuild {

    private static final StateTopics TOPICS = new StateTopics("bench-cold.");
    private static final int RUNS = 3;

    private ColdRebuild() {}

    static void run(String bootstrap, int clusters, int endpointsPerCluster) {
        int slices = endpointsPerCluster / MeshSyncBench.ENDPOINTS_PER_SLICE;
        long populate = System.nanoTime();
        for (int c = 1; c <= clusters; c++) {
            List<StateValue> state = new ArrayList<>();
            state.add(MeshSyncBench.service());
            for (int s = 0; s < slices; s++) {
                state.add(MeshSyncBench.slice(c, s, 0));
            }
            var options =
                    PublisherOptions.defaults(new ClusterId(c, "cold-" + c)).withTopics(TOPICS);
            var settings = KafkaSettings.of(bootstrap, "bench-cold-pub-" + c);
            try (var pub = ClusterPublisher.openOnKafka(settings, options, TopicReplication.of(1), state)) {
                pub.flush(Duration.ofSeconds(30));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "cold rebuild: %d clusters x %d endpoints (%d slices of %d) published in %.1f s%n",
                clusters,
                slices * MeshSyncBench.ENDPOINTS_PER_SLICE,
                slices,
                MeshSyncBench.ENDPOINTS_PER_SLICE,
                (System.nanoTime() - populate) / 1e9);
        long expected = (long) clusters * slices * MeshSyncBench.ENDPOINTS_PER_SLICE;
        double[] mesh = new double[RUNS];
        double[] transport = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            mesh[r] = meshRead(bootstrap, clusters, expected, r);
            transport[r] = transportRead(bootstrap, clusters, r);
            System.out.printf(
                    Locale.ROOT, "  run %d: mesh view %.2f s, transport only %.2f s%n", r + 1, mesh[r], transport[r]);
        }
        Arrays.sort(mesh);
        Arrays.sort(transport);
        System.out.printf(
                Locale.ROOT,
                "cold rebuild of %,d endpoints: mesh view median %.2f s (min %.2f, max %.2f);"
                        + " baseline: the same StateReader into a sink that drops records, median %.2f s%n",
                expected,
                mesh[RUNS / 2],
                mesh[0],
                mesh[RUNS - 1],
                transport[RUNS / 2]);
    }

    /** Seconds from starting a reader until its snapshot holds every cluster, synced, complete. */
    private static double meshRead(String bootstrap, int clusters, long expectedEndpoints, int run) {
        ViewOptions vo = new ViewOptions(TOPICS, 0, Duration.ofMinutes(10), Duration.ofHours(1), Clock.systemUTC());
        MeshView view = new MeshView(vo);
        long start = System.nanoTime();
        try (var reader = MeshReader.start(
                KafkaSettings.of(bootstrap, "bench-cold-view-" + run),
                vo,
                view,
                Duration.ofSeconds(5),
                Duration.ofSeconds(1))) {
            long deadline = start + Duration.ofSeconds(120).toNanos();
            while (!complete(view.snapshot(), clusters, expectedEndpoints)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cold rebuild not complete within 120 s");
                }
                LockSupport.parkNanos(1_000_000);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static boolean complete(MeshSnapshot s, int clusters, long expectedEndpoints) {
        if (s.clusters().size() < clusters) {
            return false;
        }
        long endpoints = 0;
        for (ClusterView c : s.clusters().values()) {
            if (!c.status().synced()) {
                return false;
            }
            endpoints += c.slices().values().stream()
                    .mapToLong(sl -> sl.endpoints().size())
                    .sum();
        }
        return endpoints >= expectedEndpoints;
    }

    /**
     * Seconds for the same transport to deliver every topic to its end into a sink that drops
     * the records: the floor under the view, which adds validation, decoding and snapshots.
     */
    private static double transportRead(String bootstrap, int clusters, int run) {
        Set<String> synced = ConcurrentHashMap.newKeySet();
        RecordSink drop = new RecordSink() {
            @Override
            public void onRecord(RawRecord record) {}

            @Override
            public void onSynced(String topic) {
                synced.add(topic);
            }
        };
        long start = System.nanoTime();
        try (var reader = StateReader.start(
                KafkaSettings.of(bootstrap, "bench-cold-transport-" + run),
                TOPICS.pattern(),
                Duration.ofSeconds(5),
                drop)) {
            long deadline = start + Duration.ofSeconds(120).toNanos();
            while (synced.size() < clusters) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("transport did not read all topics within 120 s");
                }
                LockSupport.parkNanos(1_000_000);
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }
}
