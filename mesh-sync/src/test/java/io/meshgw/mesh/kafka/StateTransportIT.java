package io.meshgw.mesh.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kafka transport of mesh-sync against a real KRaft broker started by the testkit. */
class StateTransportIT {

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

    private static OutgoingRecord put(String key, String value) {
        return new OutgoingRecord(key, Map.of("meshgw.seq", bytes(value)), bytes(value));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void publishedRecordsReachAReaderInOrderAndTheTopicCountsAsSynced() {
        String topic = "meshgw.state.101";
        StateTopic.ensure(settings("t1"), topic, TopicReplication.of(1));
        try (var pub = StatePublisher.open(settings("c101"), topic, "meshgw-101")) {
            pub.publish(List.of(put("svc/default/web", "1"), put("eps/default/web/a", "2")));
            pub.publish(List.of(new OutgoingRecord("eps/default/web/a", Map.of("meshgw.seq", bytes("3")), null)));
        }
        var sink = new CollectingSink();
        try (var reader = StateReader.start(
                settings("r1"), Pattern.compile("meshgw\\.state\\.101"), Duration.ofMillis(300), sink)) {
            await(() -> reader.syncedTopics().contains(topic), "topic synced");
            assertThat(sink.keys(topic)).containsExactly("svc/default/web", "eps/default/web/a", "eps/default/web/a");
            RawRecord tomb = sink.records.get(2);
            assertThat(tomb.tombstone()).isTrue();
            assertThat(new String(tomb.headers().get("meshgw.seq"), StandardCharsets.UTF_8))
                    .as("tombstones carry their headers")
                    .isEqualTo("3");
            assertThat(sink.syncedOrder).containsExactly(topic);
        }
    }

    @Test
    void aZombiePublisherIsFencedAndNothingItWritesBecomesVisible() {
        String topic = "meshgw.state.102";
        StateTopic.ensure(settings("t2"), topic, TopicReplication.of(1));
        try (var zombie = StatePublisher.open(settings("c102-old"), topic, "meshgw-102")) {
            zombie.publish(List.of(put("svc/default/a", "old")));
            try (var current = StatePublisher.open(settings("c102-new"), topic, "meshgw-102")) {
                assertThatThrownBy(() -> zombie.publish(List.of(put("svc/default/a", "zombie"))))
                        .isInstanceOf(PublisherFencedException.class)
                        .hasMessageContaining("fenced by a newer instance");
                current.publish(List.of(put("svc/default/a", "new")));
                Map<String, RawRecord> state = current.readCurrent();
                assertThat(new String(state.get("svc/default/a").value(), StandardCharsets.UTF_8))
                        .isEqualTo("new");
            }
        }
        var sink = new CollectingSink();
        try (var reader = StateReader.start(
                settings("r2"), Pattern.compile("meshgw\\.state\\.102"), Duration.ofMillis(300), sink)) {
            await(() -> reader.syncedTopics().contains(topic), "topic synced");
            assertThat(sink.values(topic)).containsExactly("old", "new").doesNotContain("zombie");
        }
    }

    @Test
    void readCurrentReturnsTheLatestValuePerKeyWithoutDeletedKeys() {
        String topic = "meshgw.state.103";
        StateTopic.ensure(settings("t3"), topic, TopicReplication.of(1));
        try (var pub = StatePublisher.open(settings("c103"), topic, "meshgw-103")) {
            pub.publish(List.of(put("svc/a/x", "1"), put("svc/a/y", "1"), put("svc/a/x", "2")));
            pub.publish(List.of(new OutgoingRecord("svc/a/y", Map.of(), null)));
            Map<String, RawRecord> current = pub.readCurrent();
            assertThat(current).containsOnlyKeys("svc/a/x");
            assertThat(new String(current.get("svc/a/x").value(), StandardCharsets.UTF_8))
                    .isEqualTo("2");
        }
    }

    @Test
    void aListingThatFindsNoTopicIsStillReportedSoTheViewKnowsTheMeshHasNoOtherCluster() {
        var sink = new CollectingSink();
        try (var reader = StateReader.start(
                settings("r7"), Pattern.compile("meshgw\\.state\\.107"), Duration.ofMillis(300), sink)) {
            await(() -> sink.listings.get() > 0, "the topics listed");
            assertThat(sink.added).isEmpty();
        }
    }

    @Test
    void aTopicCreatedLaterIsDiscoveredAndReadFromItsStart() {
        var sink = new CollectingSink();
        try (var reader = StateReader.start(
                settings("r4"), Pattern.compile("meshgw\\.state\\.104"), Duration.ofMillis(300), sink)) {
            String topic = "meshgw.state.104";
            StateTopic.ensure(settings("t4"), topic, TopicReplication.of(1));
            try (var pub = StatePublisher.open(settings("c104"), topic, "meshgw-104")) {
                pub.publish(List.of(put("gw/node-1", "10.0.0.1")));
            }
            await(() -> sink.keys(topic).contains("gw/node-1"), "record of the new topic read");
            assertThat(sink.added).contains(topic);
            assertThat(sink.addedBeforeListing).contains(topic);
        }
    }

    @Test
    void aTopicWithMorePartitionsIsRejectedWithTheFix() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("meshgw.state.105", 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> StateTopic.ensure(settings("t5"), "meshgw.state.105", TopicReplication.of(1)))
                .hasMessageContaining("has 3 partitions")
                .hasMessageContaining("needs exactly 1");
    }

    @Test
    void aBrokerRestartMidStreamLosesNoUpdate() {
        String topic = "meshgw.state.106";
        StateTopic.ensure(settings("t6"), topic, TopicReplication.of(1));
        var sink = new CollectingSink();
        Map<String, String> expected = new LinkedHashMap<>();
        int retries = 0;
        try (var reader = StateReader.start(
                        settings("r6"), Pattern.compile("meshgw\\.state\\.106"), Duration.ofMillis(300), sink);
                var pub = StatePublisher.open(settings("c106"), topic, "meshgw-106")) {
            for (int i = 0; i < 60; i++) {
                if (i == 30) {
                    broker.restart();
                }
                String key = "eps/default/svc/slice-" + (i % 20);
                String value = "v" + i;
                // A failed publish wrote nothing visible; the caller still has the update and retries.
                for (int attempt = 0; ; attempt++) {
                    try {
                        pub.publish(List.of(put(key, value)));
                        break;
                    } catch (IllegalStateException e) {
                        assertThat(attempt)
                                .as("publish keeps failing: %s", e.getMessage())
                                .isLessThan(30);
                        retries++;
                        sleep(500);
                    }
                }
                expected.put(key, value);
            }
            await(() -> sink.latest(topic).equals(expected), "reader converged after the broker restart");
        }
        System.out.println("broker restart: " + retries + " publish retries, 60 updates, none lost");
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
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

    /** Records everything the reader delivers. */
    static final class CollectingSink implements RecordSink {
        final List<RawRecord> records = Collections.synchronizedList(new ArrayList<>());
        final List<String> syncedOrder = Collections.synchronizedList(new ArrayList<>());
        final Set<String> added = ConcurrentHashMap.newKeySet();
        /** What was added when the last listing was reported: a listing follows the topics it found. */
        final Set<String> addedBeforeListing = ConcurrentHashMap.newKeySet();

        final AtomicInteger listings = new AtomicInteger();

        @Override
        public void onRecord(RawRecord record) {
            records.add(record);
        }

        @Override
        public void onSynced(String topic) {
            syncedOrder.add(topic);
        }

        @Override
        public void onTopicAdded(String topic) {
            added.add(topic);
        }

        @Override
        public void onTopicsListed() {
            addedBeforeListing.addAll(added);
            listings.incrementAndGet();
        }

        List<String> keys(String topic) {
            synchronized (records) {
                return records.stream()
                        .filter(r -> r.topic().equals(topic))
                        .map(RawRecord::key)
                        .toList();
            }
        }

        List<String> values(String topic) {
            synchronized (records) {
                return records.stream()
                        .filter(r -> r.topic().equals(topic) && !r.tombstone())
                        .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .toList();
            }
        }

        Map<String, String> latest(String topic) {
            Map<String, String> m = new LinkedHashMap<>();
            synchronized (records) {
                for (RawRecord r : records) {
                    if (!r.topic().equals(topic)) {
                        continue;
                    }
                    if (r.tombstone()) {
                        m.remove(r.key());
                    } else {
                        m.put(r.key(), new String(r.value(), StandardCharsets.UTF_8));
                    }
                }
            }
            return m;
        }
    }
}
