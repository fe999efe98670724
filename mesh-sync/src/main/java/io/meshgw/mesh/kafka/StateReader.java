package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every cluster's state topic (found by a name pattern, refreshed periodically) from the
 * beginning, committed data only, with {@code assign()} rather than a consumer group: every
 * gateway needs every record, and there is nothing to balance. A topic counts as synced once the
 * reader's position reaches the end offset the topic had when it was assigned.
 *
 * <p>One thread polls; records go to the {@link RecordSink} on that thread, in offset order per
 * topic. Broker outages are ridden out by the Kafka client's own retries.
 */
public final class StateReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateReader.class);

    private final KafkaSettings settings;
    private final Pattern topicPattern;
    private final Duration refreshInterval;
    private final RecordSink sink;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<TopicPartition, Long> syncTargets = new HashMap<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private final Queue<String> rewinds = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    private StateReader(KafkaSettings settings, Pattern topicPattern, Duration refreshInterval, RecordSink sink) {
        this.settings = settings;
        this.topicPattern = topicPattern;
        this.refreshInterval = refreshInterval;
        this.sink = sink;
        Map<String, Object> conf = settings.base();
        conf.put("isolation.level", "read_committed");
        conf.put("enable.auto.commit", false);
        conf.put("auto.offset.reset", "earliest");
        conf.put("client.id", settings.clientId() + "-reader");
        this.consumer = new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread =
                Thread.ofPlatform().name("mesh-reader-" + settings.clientId()).unstarted(this::run);
    }

    /** Starts reading all topics whose name matches {@code topicPattern}. */
    public static StateReader start(
            KafkaSettings settings, Pattern topicPattern, Duration refreshInterval, RecordSink sink) {
        StateReader r = new StateReader(settings, topicPattern, refreshInterval, sink);
        r.thread.start();
        return r;
    }

    /** Topics whose content up to their assignment has been delivered. */
    public Set<String> syncedTopics() {
        return Set.copyOf(synced);
    }

    /** Records between the reader's position and the end of each topic, at the last check. */
    public Map<String, Long> lag() {
        return Map.copyOf(lag);
    }

    /**
     * Asks the reader to read {@code topic} again from its start (a sink that dropped a cluster's
     * state needs the whole log back); the sink sees {@link RecordSink#onTopicAdded} first.
     */
    public void rewind(String topic) {
        rewinds.add(topic);
    }

    /** The error that stopped the reader, if it stopped on its own. */
    public Throwable failure() {
        return failure;
    }

    private void run() {
        long nextRefresh = 0;
        try {
            while (running) {
                if (System.nanoTime() >= nextRefresh) {
                    refreshAssignment();
                    nextRefresh = System.nanoTime() + refreshInterval.toNanos();
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(Math.min(200, refreshInterval.toMillis()));
                    continue;
                }
                processRewinds();
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    sink.onRecord(StatePublisher.toRaw(r));
                }
                checkSynced();
                sink.onConnected(connected());
                sink.onPollComplete();
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("state reader {} stopped: {}", settings.clientId(), e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            stopped.countDown();
        }
    }

    /** The consumer's own "connection-count" metric: open connections to brokers. */
    private boolean connected() {
        for (var e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("connection-count")
                    && e.getKey().group().equals("consumer-metrics")
                    && e.getValue().metricValue() instanceof Double d) {
                return d > 0;
            }
        }
        return true; // no such metric: assume connected, as before
    }

    private void refreshAssignment() {
        Set<TopicPartition> wanted = new HashSet<>(consumer.assignment());
        List<TopicPartition> added = new ArrayList<>();
        try {
            consumer.listTopics(settings.requestTimeout()).forEach((topic, partitions) -> {
                if (topicPattern.matcher(topic).matches()) {
                    partitions.forEach(p -> {
                        TopicPartition tp = new TopicPartition(topic, p.partition());
                        if (wanted.add(tp)) {
                            added.add(tp);
                        }
                    });
                }
            });
        } catch (KafkaException e) {
            LOG.warn("state reader {} cannot list topics yet: {}", settings.clientId(), e.getMessage());
            return;
        }
        if (added.isEmpty()) {
            sink.onTopicsListed();
            return;
        }
        consumer.assign(wanted);
        consumer.seekToBeginning(added);
        syncTargets.putAll(consumer.endOffsets(added, settings.requestTimeout()));
        for (TopicPartition tp : added) {
            LOG.info(
                    "state reader {} reads {} up to offset {} before it is synced",
                    settings.clientId(),
                    tp,
                    syncTargets.get(tp));
            sink.onTopicAdded(tp.topic());
        }
        sink.onTopicsListed();
    }

    private void processRewinds() {
        for (String topic = rewinds.poll(); topic != null; topic = rewinds.poll()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            if (!consumer.assignment().contains(tp)) {
                continue; // not (yet) assigned: when it is, it is read from its start anyway
            }
            consumer.seekToBeginning(List.of(tp));
            syncTargets.putAll(consumer.endOffsets(List.of(tp), settings.requestTimeout()));
            synced.remove(topic);
            LOG.info("state reader {} rewinds {} to its start", settings.clientId(), tp);
            sink.onTopicAdded(topic);
        }
    }

    private void checkSynced() {
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp, settings.requestTimeout());
            Long target = syncTargets.get(tp);
            if (target != null && position >= target) {
                syncTargets.remove(tp);
                synced.add(tp.topic());
                sink.onSynced(tp.topic());
            }
            consumer.currentLag(tp).ifPresent(l -> lag.put(tp.topic(), l));
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("state reader {} did not stop within 10 s", settings.clientId());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
