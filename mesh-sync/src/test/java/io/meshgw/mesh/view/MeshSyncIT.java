package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.PublisherFencedException;
import io.meshgw.mesh.kafka.StatePublisher;
import io.meshgw.mesh.kafka.StateTopic;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.kafka.TopicWriter;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.testkit.KafkaBroker;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Publishers and views of several clusters against a real KRaft broker: convergence, broker and
 * publisher restarts, zombies, a reader that was away, forged records and silent clusters. Each
 * test uses its own topic prefix so the views of different tests never see each other.
 */
class MeshSyncIT {

    private static final ServiceKey WEB = new ServiceKey("default", "web");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static KafkaSettings settings(String clientId) {
        return new KafkaSettings(broker.bootstrapServers(), Map.of(), clientId, Duration.ofSeconds(10));
    }

    private static PublisherOptions pubOptions(StateTopics topics, int id) {
        return new PublisherOptions(
                new ClusterId(id, "c" + id),
                topics,
                Duration.ofMillis(300),
                5_000,
                Duration.ofMillis(100),
                Clock.systemUTC());
    }

    private static ClusterPublisher publisher(StateTopics topics, int id, List<? extends StateValue> state) {
        return ClusterPublisher.openOnKafka(
                settings("pub-" + id), pubOptions(topics, id), TopicReplication.of(1), state);
    }

    private static ViewOptions viewOptions(StateTopics topics, int local, Duration unavailableAfter) {
        return new ViewOptions(topics, local, unavailableAfter, unavailableAfter.multipliedBy(100), Clock.systemUTC());
    }

    private static MeshReader reader(ViewOptions options, MeshView view, String clientId) {
        return MeshReader.start(settings(clientId), options, view, Duration.ofMillis(300), Duration.ofMillis(100));
    }

    static ServiceExport svc() {
        return new ServiceExport("default", "web", List.of(ServicePort.tcp("http", 80)), Map.of(), Optional.empty());
    }

    static EndpointSlice slice(int cluster, String name, String... ips) {
        List<Endpoint> eps = new ArrayList<>();
        for (String ip : ips) {
            eps.add(Endpoint.ready(StateSamples.ip(ip)));
        }
        return new EndpointSlice("default", "web", name, cluster, List.of(ServicePort.tcp("http", 8080)), eps);
    }

    private static Map<EndpointSliceKey, EndpointSlice> slicesOf(MeshView view, int cluster) {
        ClusterView c = view.snapshot().clusters().get(cluster);
        return c == null || !c.status().synced() ? Map.of() : c.slices();
    }

    private static Map<EndpointSliceKey, EndpointSlice> index(List<EndpointSlice> slices) {
        Map<EndpointSliceKey, EndpointSlice> m = new HashMap<>();
        slices.forEach(s -> m.put(s.key(), s));
        return m;
    }

    @Test
    void threeClustersConvergeOnTheSameView() {
        StateTopics topics = new StateTopics("it-converge.");
        List<ClusterPublisher> pubs = new ArrayList<>();
        List<MeshView> views = new ArrayList<>();
        List<MeshReader> readers = new ArrayList<>();
        try {
            for (int id = 1; id <= 3; id++) {
                pubs.add(publisher(topics, id, List.of(svc(), slice(id, "a", "10.0." + id + ".1"))));
                MeshView v = new MeshView(viewOptions(topics, id, Duration.ofSeconds(10)));
                views.add(v);
                readers.add(reader(viewOptions(topics, id, Duration.ofSeconds(10)), v, "r-converge-" + id));
            }
            for (int id = 1; id <= 3; id++) {
                pubs.get(id - 1).put(slice(id, "b", "10.1." + id + ".1", "10.1." + id + ".2"));
                pubs.get(id - 1).remove(new EndpointSliceKey("default", "web", "a"));
            }
            for (int local = 1; local <= 3; local++) {
                MeshView v = views.get(local - 1);
                for (int remote = 1; remote <= 3; remote++) {
                    if (remote == local) {
                        continue;
                    }
                    int r = remote;
                    Map<EndpointSliceKey, EndpointSlice> want =
                            index(List.of(slice(r, "b", "10.1." + r + ".1", "10.1." + r + ".2")));
                    await(() -> slicesOf(v, r).equals(want), "view of " + local + " has cluster " + r);
                }
                assertThat(v.snapshot().clusters()).doesNotContainKey(local);
                assertThat(v.snapshot().available()).hasSize(2);
            }
            // Every pair of views agrees on every cluster both see.
            assertThat(slicesOf(views.get(0), 3)).isEqualTo(slicesOf(views.get(1), 3));
            assertThat(slicesOf(views.get(1), 1)).isEqualTo(slicesOf(views.get(2), 1));
            assertThat(slicesOf(views.get(0), 2)).isEqualTo(slicesOf(views.get(2), 2));
            MeshMetrics m = readers.getFirst().metrics();
            assertThat(m.rejected()).isZero();
            assertThat(m.clusters().get(2).lag()).isZero();
        } finally {
            readers.forEach(MeshReader::close);
            pubs.forEach(ClusterPublisher::close);
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNoUpdate() throws Exception {
        StateTopics topics = new StateTopics("it-restart.");
        ViewOptions vo = viewOptions(topics, 0, Duration.ofSeconds(60));
        MeshView view = new MeshView(vo);
        Map<EndpointSliceKey, EndpointSlice> desired = new HashMap<>();
        try (var reader = reader(vo, view, "r-restart");
                var pub = publisher(topics, 5, List.of(svc()))) {
            Thread restarter = Thread.ofPlatform().name("broker-restarter").unstarted(broker::restart);
            int during = 0;
            // Updates keep coming before, during and after the outage; bounded in count.
            for (int i = 0; i < 2_000 && (i < 400 || restarter.isAlive()); i++) {
                if (i == 100) {
                    restarter.start();
                }
                if (restarter.isAlive()) {
                    during++;
                }
                EndpointSlice s = slice(5, "s" + (i % 25), "10.5." + (i % 25) + "." + (1 + i % 200));
                desired.put(s.key(), s);
                pub.put(s);
                sleep(10);
            }
            restarter.join(WAIT.toMillis());
            pub.flush(WAIT);
            await(() -> slicesOf(view, 5).equals(desired), "view converged after the broker restart");
            assertThat(during).as("updates made while the broker was down").isPositive();
            assertThat(reader.failure()).isNull();
            System.out.printf(
                    "broker restart: %d updates while it was down, %d transactions, %d failed and retried, none lost%n",
                    during, pub.transactions(), pub.failures());
        }
    }

    @Test
    void aRestartedPublisherAndAFencedZombieLeaveNoStaleOrDuplicateEndpoints() {
        StateTopics topics = new StateTopics("it-zombie.");
        ViewOptions vo = viewOptions(topics, 0, Duration.ofSeconds(60));
        MeshView view = new MeshView(vo);
        // The old instance loses its network, still holding changes it wants to write.
        CuttableWriter cut = new CuttableWriter(openWriter(topics, 6));
        var old = ClusterPublisher.start(
                pubOptions(topics, 6), cut, List.of(svc(), slice(6, "a", "10.6.0.1"), slice(6, "b", "10.6.0.2")));
        try (var reader = reader(vo, view, "r-zombie")) {
            await(() -> slicesOf(view, 6).size() == 2, "first instance visible");
            cut.cut = true;
            old.put(slice(6, "a", "10.6.0.1", "10.6.0.99")); // would be stale: retried while cut
            old.put(slice(6, "z", "10.6.0.1"));
            List<EndpointSlice> current = List.of(slice(6, "a", "10.6.0.3"), slice(6, "c", "10.6.0.2"));
            List<StateValue> state = new ArrayList<>(current);
            state.add(svc());
            try (var restarted = ClusterPublisher.start(pubOptions(topics, 6), openWriter(topics, 6), state)) {
                cut.cut = false; // the zombie's network returns: its retry must be fenced
                assertThatThrownBy(() -> old.flush(WAIT)).isInstanceOf(PublisherFencedException.class);
                assertThat(old.fenced()).isTrue();
                await(() -> slicesOf(view, 6).equals(index(current)), "view holds only the new instance's state");
                sleep(500); // let anything the zombie might have slipped through arrive
                assertThat(slicesOf(view, 6)).isEqualTo(index(current));
                List<InetAddress> addresses = view.snapshot().endpointSlices(WEB).stream()
                        .flatMap(s -> s.endpoints().stream())
                        .flatMap(e -> e.addresses().stream())
                        .toList();
                assertThat(addresses).doesNotHaveDuplicates().hasSize(2);
                assertThat(view.snapshot().clusters().get(6).status().epoch()).isEqualTo(restarted.epoch());
                assertThat(restarted.epoch()).isEqualTo(old.epoch() + 1);
            }
        } finally {
            old.close();
        }
    }

    @Test
    void aReaderThatWasAwayWhileDeletesHappenedConvergesWhenItReturns() throws Exception {
        StateTopics topics = new StateTopics("it-away.");
        ViewOptions vo = viewOptions(topics, 0, Duration.ofSeconds(60));
        MeshView view = new MeshView(vo);
        List<EndpointSlice> first =
                List.of(slice(7, "a", "10.7.0.1"), slice(7, "b", "10.7.0.2"), slice(7, "c", "10.7.0.3"));
        try (var pub = publisher(topics, 7, new ArrayList<StateValue>(first));
                var reader = reader(vo, view, "r-away-1")) {
            await(() -> slicesOf(view, 7).equals(index(first)), "first read");
        }
        // While the reader is away: the topic is lost (recreated, so no tombstone survives), and
        // the cluster's publisher comes back with less state than the view still holds.
        String topic = topics.topicOf(7);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await(() -> !topicExists(admin, topic), "topic deleted");
        }
        List<EndpointSlice> second = List.of(slice(7, "a", "10.7.0.9"));
        try (var pub = publisher(topics, 7, new ArrayList<StateValue>(second))) {
            pub.remove(svc().key());
            pub.flush(WAIT);
            assertThat(slicesOf(view, 7))
                    .as("the view kept serving its last state")
                    .hasSize(3);
            try (var reader = reader(vo, view, "r-away-2")) {
                await(() -> slicesOf(view, 7).equals(index(second)), "swept to the new state");
                assertThat(view.snapshot().clusters().get(7).services()).isEmpty();
            }
        }
    }

    @Test
    void forgedRecordsAreRejectedAndCountedWhileGoodOnesAroundThemApply() {
        StateTopics topics = new StateTopics("it-forged.");
        ViewOptions vo = viewOptions(topics, 0, Duration.ofSeconds(60));
        MeshView view = new MeshView(vo);
        String topic = topics.topicOf(8);
        try (var pub = publisher(topics, 8, List.of(svc(), slice(8, "a", "10.8.0.1")));
                var reader = reader(vo, view, "r-forged");
                var forger = new KafkaProducer<>(
                        Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
                        new StringSerializer(),
                        new ByteArraySerializer())) {
            EndpointSlice foreign = slice(9, "x", "10.66.6.6");
            // Another cluster's slice, claimed to be cluster 8 in the headers.
            forge(forger, topic, "eps/default/web/x", RecordHeaders.v1(8, 1, 1), ValueCodec.encode(9, foreign));
            // A cluster-9 record in cluster 8's topic.
            forge(forger, topic, "eps/default/web/x", RecordHeaders.v1(9, 1, 2), ValueCodec.encode(9, foreign));
            // A format version this build does not read.
            byte[] v2 = ValueCodec.encode(8, slice(8, "y", "10.66.6.7"));
            v2[0] = 2;
            forge(forger, topic, "eps/default/web/y", new RecordHeaders(2, 8, 1, 3), v2);
            // Garbage.
            forge(forger, topic, "eps/default/web/z", RecordHeaders.v1(8, 1, 4), new byte[] {1, 2, 0, 8, 7, 7, 7});
            pub.put(slice(8, "b", "10.8.0.2"));
            pub.flush(WAIT);
            Map<EndpointSliceKey, EndpointSlice> want =
                    index(List.of(slice(8, "a", "10.8.0.1"), slice(8, "b", "10.8.0.2")));
            await(() -> slicesOf(view, 8).equals(want) && reader.metrics().rejected() == 4, "good records applied");
            MeshMetrics m = reader.metrics();
            assertThat(m.rejected()).isEqualTo(4);
            assertThat(m.clusters().get(8).rejected()).isEqualTo(4);
            assertThat(m.clusters().get(8).applied()).isPositive();
        }
    }

    @Test
    void aSilentClusterIsMarkedUnavailableAndThenAvailableAgain() {
        StateTopics topics = new StateTopics("it-silent.");
        ViewOptions vo = viewOptions(topics, 0, Duration.ofMillis(1500));
        MeshView view = new MeshView(vo);
        List<Boolean> availability = new ArrayList<>();
        view.subscribe(s -> {
            ClusterView c = s.clusters().get(10);
            if (c != null
                    && (availability.isEmpty()
                            || availability.getLast() != c.status().available())) {
                availability.add(c.status().available());
            }
        });
        try (var reader = reader(vo, view, "r-silent")) {
            var pub = publisher(topics, 10, List.of(svc(), slice(10, "a", "10.10.0.1")));
            await(() -> view.snapshot().endpointSlices(WEB).size() == 1, "cluster 10 available");
            pub.close(); // silent from now on
            await(() -> view.snapshot().endpointSlices(WEB).isEmpty(), "cluster 10 unavailable");
            ClusterView gone = view.snapshot().clusters().get(10);
            assertThat(gone.status().available()).isFalse();
            assertThat(gone.slices()).as("kept while unavailable").hasSize(1);
            assertThat(reader.metrics().clusters().get(10).lastHeartbeatAge().orElseThrow())
                    .isGreaterThan(Duration.ofMillis(1500));
            try (var back = publisher(topics, 10, List.of(svc(), slice(10, "a", "10.10.0.1")))) {
                await(() -> view.snapshot().endpointSlices(WEB).size() == 1, "cluster 10 available again");
            }
        }
        assertThat(availability).containsSubsequence(true, false, true);
    }

    private static TopicWriter openWriter(StateTopics topics, int id) {
        String topic = topics.topicOf(id);
        StateTopic.ensure(settings("t-" + id), topic, TopicReplication.of(1));
        return StatePublisher.open(settings("pub-" + id), topic, topic);
    }

    private static void forge(
            KafkaProducer<String, byte[]> producer, String topic, String key, RecordHeaders h, byte[] value) {
        List<Header> headers = new ArrayList<>();
        h.toKafka().forEach((k, v) -> headers.add(new RecordHeader(k, v)));
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value, headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot forge a record", e);
        }
    }

    private static boolean topicExists(Admin admin, String topic) {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            return true;
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
            }
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
