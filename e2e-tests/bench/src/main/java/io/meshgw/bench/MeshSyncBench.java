package io.meshgw.bench;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.StatePublisher;
import io.meshgw.mesh.kafka.StateTopic;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.testkit.KafkaBroker;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * mesh-sync on a real single-node KRaft broker on this machine:
 *
 * <ol>
 *   <li>propagation latency from {@code ClusterPublisher.put} of an EndpointSlice to the {@code
 *       MeshView} snapshot that contains it reaching a listener in a remote reader, at fixed update
 *       rates, beside plain Kafka produce-to-consume latency of records of the same size;
 *   <li>cold rebuild: a new reader building its view of N clusters of E endpoints each, beside a
 *       plain consumer reading the same topics to their end.
 * </ol>
 *
 * Usage: {@code MeshSyncBench [seconds-per-rate=10] [rates=100,1000] [clusters=50] [endpoints=5000]}.
 */
public final class MeshSyncBench {

    /** Kubernetes' default EndpointSlice size: the records are the size the mesh really carries. */
    static final int ENDPOINTS_PER_SLICE = 100;

    static final int SLICES_UNDER_TEST = 100;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int[] rates = Arrays.stream((args.length > 1 ? args[1] : "100,1000").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        int clusters = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        int endpoints = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        System.out.println(DecodeAllocation.run());
        try (KafkaBroker broker = KafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            int recordBytes = ValueCodec.encode(2, slice(2, 0, 0)).length;
            System.out.printf(
                    Locale.ROOT,
                    "broker %s; slice record %d bytes (%d endpoints); %d s per rate%n%n",
                    bootstrap,
                    recordBytes,
                    ENDPOINTS_PER_SLICE,
                    seconds);
            List<String> rows = new ArrayList<>();
            // Warm both paths up (JIT, connections, topic creation) before measuring.
            KafkaBaseline.run(bootstrap, "bench-raw-warm", 200, 2, recordBytes);
            propagation(bootstrap, "bench-warm.", 200, 2, new PropagationStages(200 * 2 + 1));
            for (int rate : rates) {
                CpuMeter cpu = new CpuMeter(broker.pid());
                LatencySample raw = KafkaBaseline.run(bootstrap, "bench-raw-" + rate, rate, seconds, recordBytes);
                cpu.stop(raw);
                rows.add(raw.row("kafka produce->consume (baseline)", rate, rate * seconds));
                cpu = new CpuMeter(broker.pid());
                PropagationStages stages = new PropagationStages(rate * seconds + 1);
                LatencySample mesh = propagation(bootstrap, "bench-lat-" + rate + ".", rate, seconds, stages);
                cpu.stop(mesh);
                rows.add(mesh.row("mesh put->snapshot in remote view", rate, rate * seconds));
                System.out.println(rows.get(rows.size() - 2));
                System.out.println(rows.getLast());
                stages.rows().forEach(System.out::println);
            }
            System.out.println();
            System.out.println(LatencySample.header());
            rows.forEach(System.out::println);
            System.out.println();
            ColdRebuild.run(bootstrap, clusters, endpoints);
        }
    }

    /** Updates {@link #SLICES_UNDER_TEST} slices round-robin at {@code rate}/s for {@code seconds}. */
    static LatencySample propagation(String bootstrap, String prefix, int rate, int seconds, PropagationStages stages) {
        StateTopics topics = new StateTopics(prefix);
        int total = rate * seconds;
        LatencySample sample = new LatencySample(total + 1);
        ViewOptions vo = new ViewOptions(topics, 1, Duration.ofSeconds(30), Duration.ofHours(1), Clock.systemUTC());
        MeshView view = new MeshView(vo);
        KafkaSettings settings = KafkaSettings.of(bootstrap, "bench-pub");
        List<StateValue> initial = new ArrayList<>();
        initial.add(service());
        for (int s = 0; s < SLICES_UNDER_TEST; s++) {
            initial.add(slice(2, s, 0));
        }
        var options = PublisherOptions.defaults(new ClusterId(2, "bench"))
                .withTopics(topics)
                .withHeartbeatInterval(Duration.ofSeconds(1));
        String topic = topics.topicOf(options.cluster());
        StateTopic.ensure(settings, topic, TopicReplication.of(1));
        var writer = new TimedTopicWriter(StatePublisher.open(
                settings, topic, topics.transactionalIdOf(options.cluster().id())));
        // The reader's poll is stamped by an interceptor, so the breakdown sees the records as the view gets them.
        var viewSettings = new KafkaSettings(
                bootstrap,
                Map.of("interceptor.classes", PollStamp.class.getName()),
                "bench-view",
                Duration.ofSeconds(15));
        try (var pub = ClusterPublisher.start(options, writer, initial);
                var reader = MeshReader.start(viewSettings, vo, view, Duration.ofSeconds(1), Duration.ofMillis(200))) {
            awaitSynced(view, 2, Duration.ofSeconds(60));
            writer.measureInto(stages);
            PollStamp.stages = stages;
            view.subscribe(snapshot -> {
                long now = System.nanoTime();
                ClusterView c = snapshot.clusters().get(2);
                if (c == null) {
                    return;
                }
                for (EndpointSlice s : c.slices().values()) {
                    int seq = sequenceOf(s);
                    sample.arrivedSuperseding(seq, SLICES_UNDER_TEST, now);
                    stages.viewed(seq, SLICES_UNDER_TEST, now);
                }
            });
            long period = 1_000_000_000L / rate;
            long start = System.nanoTime();
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                EndpointSlice s = slice(2, i % SLICES_UNDER_TEST, i + 1);
                long now = System.nanoTime();
                sample.sent(i + 1, now);
                stages.put(i + 1, now);
                pub.put(s);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!sample.has(total) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(10_000_000);
            }
            stages.stop();
            PollStamp.stages = null;
        }
        return sample;
    }

    static void awaitSynced(MeshView view, int cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            ClusterView c = view.snapshot().clusters().get(cluster);
            if (c != null && c.status().synced() && c.status().available()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("cluster " + cluster + " not synced within " + timeout);
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    static ServiceExport service() {
        return new ServiceExport("bench", "web", List.of(ServicePort.tcp("http", 80)), Map.of(), Optional.empty());
    }

    /**
     * Slice {@code index} of a cluster, carrying {@code seq} in its first endpoint's zone so a
     * reader can tell which update it sees; the addresses are the same each time, as in a real
     * slice whose readiness or topology changes.
     */
    static EndpointSlice slice(int cluster, int index, int seq) {
        List<Endpoint> eps = new ArrayList<>(ENDPOINTS_PER_SLICE);
        for (int e = 0; e < ENDPOINTS_PER_SLICE; e++) {
            int host = index * ENDPOINTS_PER_SLICE + e;
            eps.add(new Endpoint(
                    List.of(address(10, cluster & 0xff, host >> 8, host & 0xff)),
                    true,
                    true,
                    false,
                    e == 0 ? Optional.of("u" + seq) : Optional.of("zone-a"),
                    Optional.of("node-" + (host % 20))));
        }
        return new EndpointSlice("bench", "web", "web-" + index, cluster, List.of(ServicePort.tcp("http", 8080)), eps);
    }

    static int sequenceOf(EndpointSlice s) {
        String zone = s.endpoints().getFirst().zone().orElse("u0");
        return zone.startsWith("u") ? Integer.parseInt(zone.substring(1)) : -1;
    }

    static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
