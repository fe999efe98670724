package io.meshgw.mesh.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The reader is the gateway's only view of the other clusters: an error the Kafka client gives up on (a timeout, an
 * authorisation error, a corrupt record, a name that does not resolve) must be reported and recovered from, never end
 * the reader while the gateway still looks ready.
 */
class StateReaderSupervisionTest {

    static final Pattern STATE = Pattern.compile("meshgw\\.state\\.\\d+");
    static final String WEST = "meshgw.state.2";
    static final String EAST = "meshgw.state.3";

    /** What the sink heard, in order. */
    static class Heard implements RecordSink {
        final Queue<String> events = new ConcurrentLinkedQueue<>();

        @Override
        public void onRecord(RawRecord record) {}

        @Override
        public void onSynced(String topic) {
            events.add("synced " + topic);
        }

        @Override
        public void onTopicUnreadable(String topic, String reason) {
            events.add("unreadable " + topic + ": " + reason);
        }

        @Override
        public void onReaderDown(String reason) {
            events.add("down: " + reason);
        }

        boolean heard(String prefix) {
            return events.stream().anyMatch(e -> e.startsWith(prefix));
        }
    }

    /** A consumer of empty state topics, as a broker with those topics would give. */
    static class Topics extends MockConsumer<String, byte[]> {
        int endOffsetsFailures;

        Topics(String... topics) {
            super("earliest");
            for (String t : topics) {
                TopicPartition tp = new TopicPartition(t, 0);
                updatePartitions(t, List.of(new PartitionInfo(t, 0, Node.noNode(), new Node[0], new Node[0])));
                updateBeginningOffsets(Map.of(tp, 0L));
                updateEndOffsets(Map.of(tp, 0L));
            }
        }

        @Override
        public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
            if (endOffsetsFailures-- > 0) {
                throw new TimeoutException("Failed to get offsets by times in " + timeout.toMillis() + "ms");
            }
            return super.endOffsets(partitions, timeout);
        }
    }

    static StateReader reader(Heard sink, Consumer<String, byte[]>... consumers) {
        Iterator<Consumer<String, byte[]>> next = List.of(consumers).iterator();
        return StateReader.start("test", Duration.ofSeconds(1), next::next, STATE, Duration.ofMillis(100), sink);
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aTimeoutFromEndOffsetsRestartsTheReaderWhichReportsItAndReadsAgain() throws Exception {
        var first = new Topics(WEST);
        first.endOffsetsFailures = 1;
        var sink = new Heard();
        try (var reader = reader(sink, first, new Topics(WEST))) {
            await(() -> sink.heard("synced " + WEST), "read again by a new consumer");

            assertThat(sink.events.peek()).startsWith("down: TimeoutException");
            assertThat(reader.health().restarts()).isEqualTo(1);
            assertThat(reader.health().up()).isTrue();
            assertThat(first.closed()).as("the failed consumer is closed").isTrue();
        }
    }

    @Test
    void aCorruptRecordFromPollRestartsTheReaderInsteadOfEndingIt() throws Exception {
        var first = new Topics(WEST);
        first.setPollException(new KafkaException("Record batch for partition " + WEST + "-0 at offset 7 is invalid"));
        var sink = new Heard();
        try (var reader = reader(sink, first, new Topics(WEST))) {
            await(() -> reader.health().restarts() == 1 && sink.heard("synced"), "read again by a new consumer");

            assertThat(sink.heard("down: KafkaException: Record batch")).isTrue();
        }
    }

    @Test
    void aTopicTheReaderMayNotReadIsReportedSetAsideAndTriedAgainWhileTheOthersAreRead() throws Exception {
        var consumer = new Topics(WEST, EAST);
        consumer.setPollException(new TopicAuthorizationException(Set.of(EAST)));
        var sink = new Heard();
        try (var reader = reader(sink, consumer)) {
            await(() -> sink.heard("unreadable " + EAST), "the unreadable topic reported");
            await(() -> sink.heard("synced " + WEST), "the readable one read");
            assertThat(reader.health().restarts())
                    .as("the reader itself never stopped")
                    .isZero();

            // The authorisation came back: the topic is read again, from its start.
            await(() -> sink.heard("synced " + EAST), "the topic tried again");
            await(() -> reader.health().unreadable().isEmpty(), "no topic left unreadable");
        }
    }

    @Test
    void aBootstrapNameThatDoesNotResolveIsReportedAndTriedAgainInsteadOfFailingTheStart() throws Exception {
        var sink = new Heard();
        try (var reader = StateReader.start(
                KafkaSettings.of("no-such-broker.invalid:9092", "test"), STATE, Duration.ofMillis(100), sink)) {
            await(() -> reader.health().restarts() >= 2, "tried again");

            assertThat(reader.health().up()).isFalse();
            assertThat(reader.health().down())
                    .hasValueSatisfying(reason -> assertThat(reason).contains("no-such-broker.invalid"));
        }
    }

    @Test
    void aReaderThreadEndedByAnErrorIsStalledForLiveness() throws Exception {
        var sink = new Heard();
        Supplier<Consumer<String, byte[]>> broken = () -> {
            throw new LinkageError("a Kafka class that does not link");
        };
        try (var reader =
                StateReader.start("test", Duration.ofSeconds(1), broken, STATE, Duration.ofMillis(100), sink)) {
            await(() -> reader.stalled().isPresent(), "the ended thread reported");

            assertThat(reader.stalled())
                    .hasValueSatisfying(why -> assertThat(why).contains("ended").contains("LinkageError"));
        }
    }

    @Test
    void aReaderThreadStuckInItsSinkIsStalledForLivenessWhileAFailedConsumerIsNot() throws Exception {
        var release = new CountDownLatch(1);
        var stuck = new Heard() {
            @Override
            public void onSynced(String topic) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Duration maxBackoff = Duration.ofMillis(200);
        try (var blocked = StateReader.start(
                        "stuck",
                        Duration.ofSeconds(1),
                        () -> new Topics(WEST),
                        STATE,
                        Duration.ofMillis(100),
                        stuck,
                        maxBackoff);
                var restarting = StateReader.start(
                        "restarting",
                        Duration.ofSeconds(1),
                        () -> {
                            var c = new Topics(WEST);
                            c.setPollException(new KafkaException("the broker went away"));
                            return c;
                        },
                        STATE,
                        Duration.ofMillis(100),
                        new Heard(),
                        maxBackoff)) {
            await(() -> blocked.stalled().isPresent(), "the stuck thread reported");
            assertThat(blocked.stalled())
                    .hasValueSatisfying(why -> assertThat(why).contains("has not turned"));

            assertThat(restarting.health().restarts()).isPositive();
            assertThat(restarting.stalled())
                    .as("a consumer that fails and is replaced is the brokers' trouble: reported, not fatal")
                    .isEmpty();

            release.countDown();
            await(() -> blocked.stalled().isEmpty(), "turning again");
        }
    }
}
