package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
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
 * topic. Broker outages are ridden out by the Kafka client's own retries. What the client gives up
 * on is supervised rather than fatal:
 *
 * <ul>
 *   <li>a topic the reader may not read (authorisation) is set aside, reported to the sink
 *       ({@link RecordSink#onTopicUnreadable}) and tried again with backoff, from its start; the
 *       other topics are read on;
 *   <li>any other failure (a timeout of a blocking call, a corrupt record, a bootstrap name that
 *       does not resolve) closes the consumer, is reported ({@link RecordSink#onReaderDown}, {@link
 *       #health}) and a new consumer starts after a backoff, reading every topic from its start.
 * </ul>
 */
public final class StateReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateReader.class);
    static final Duration MIN_BACKOFF = Duration.ofMillis(500);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final String name;
    private final Duration maxBackoff;
    private final Duration requestTimeout;
    private final Supplier<Consumer<String, byte[]>> consumers;
    private final Pattern topicPattern;
    private final Duration refreshInterval;
    private final RecordSink sink;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final Map<TopicPartition, Long> syncTargets = new HashMap<>();
    private final Set<String> synced = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> lag = new ConcurrentHashMap<>();
    private final Queue<String> rewinds = new ConcurrentLinkedQueue<>();
    /** Topics set aside after an authorisation error: when they are tried again, and the backoff. */
    private final Map<String, Long> unreadableUntil = new HashMap<>();

    private final Map<String, Duration> unreadableBackoff = new HashMap<>();
    private final Map<String, String> unreadable = new ConcurrentHashMap<>();
    private volatile Consumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private volatile String down = "starting";
    private volatile long restarts;
    /** When the thread last turned one of its loops (System.nanoTime). */
    private volatile long lastTurn = System.nanoTime();

    StateReader(
            String name,
            Duration requestTimeout,
            Supplier<Consumer<String, byte[]>> consumers,
            Pattern topicPattern,
            Duration refreshInterval,
            RecordSink sink,
            Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
        this.name = name;
        this.requestTimeout = requestTimeout;
        this.consumers = consumers;
        this.topicPattern = topicPattern;
        this.refreshInterval = refreshInterval;
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("mesh-reader-" + name).unstarted(this::supervise);
    }

    /**
     * Starts reading all topics whose name matches {@code topicPattern}. Never fails for the brokers' sake: a consumer
     * that cannot even be created (say, the bootstrap name does not resolve yet) is reported through {@link #health}
     * and tried again.
     */
    public static StateReader start(
            KafkaSettings settings, Pattern topicPattern, Duration refreshInterval, RecordSink sink) {
        Map<String, Object> conf = settings.base();
        conf.put("isolation.level", "read_committed");
        conf.put("enable.auto.commit", false);
        conf.put("auto.offset.reset", "earliest");
        conf.put("client.id", settings.clientId() + "-reader");
        return start(
                settings.clientId(),
                settings.requestTimeout(),
                () -> {
                    try {
                        return new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer());
                    } catch (KafkaException e) {
                        throw new KafkaException("cannot create a consumer for " + settings.bootstrapServers(), e);
                    }
                },
                topicPattern,
                refreshInterval,
                sink);
    }

    /** Starts a reader on consumers from {@code consumers}, a new one after each failure. */
    static StateReader start(
            String name,
            Duration requestTimeout,
            Supplier<Consumer<String, byte[]>> consumers,
            Pattern topicPattern,
            Duration refreshInterval,
            RecordSink sink) {
        return start(name, requestTimeout, consumers, topicPattern, refreshInterval, sink, MAX_BACKOFF);
    }

    /** As above, with the longest wait between two consumers (tests shorten it). */
    static StateReader start(
            String name,
            Duration requestTimeout,
            Supplier<Consumer<String, byte[]>> consumers,
            Pattern topicPattern,
            Duration refreshInterval,
            RecordSink sink,
            Duration maxBackoff) {
        StateReader r =
                new StateReader(name, requestTimeout, consumers, topicPattern, refreshInterval, sink, maxBackoff);
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

    /** The last error that stopped a consumer (it was restarted, or is about to be); null if none. */
    public Throwable failure() {
        return failure;
    }

    /** Whether the reader reads now, why not, how often it restarted, and the topics it may not read. */
    public ReaderHealth health() {
        return new ReaderHealth(Optional.ofNullable(down), restarts, Map.copyOf(unreadable));
    }

    /**
     * The longest the thread may go without turning a loop while it works: the longest backoff, and
     * a few blocking calls (each bounded by the request timeout) besides.
     */
    public Duration stallBound() {
        return maxBackoff.plus(requestTimeout.multipliedBy(4)).plus(refreshInterval);
    }

    /**
     * Why the reader's thread does not work, if it does not: it ended while the reader is open (an
     * {@link Error}, a bug), or it turned none of its loops for longer than {@link #stallBound} (stuck
     * in a sink, or in a call without a timeout). Only a new process mends either. A consumer that
     * failed and waits to be replaced is working: {@link #health} reports that.
     */
    public Optional<String> stalled() {
        if (!running) {
            return Optional.empty();
        }
        if (!thread.isAlive() && stopped.getCount() == 0) {
            return Optional.of("the state reader's thread ended: "
                    + Optional.ofNullable(down).orElse("no reason"));
        }
        long idle = System.nanoTime() - lastTurn;
        if (idle > stallBound().toNanos()) {
            return Optional.of("the state reader's thread has not turned for "
                    + Duration.ofNanos(idle).toSeconds() + " s (bound "
                    + stallBound().toSeconds() + " s)");
        }
        return Optional.empty();
    }

    private void supervise() {
        Duration backoff = MIN_BACKOFF;
        try {
            while (running) {
                long began = System.nanoTime();
                lastTurn = began;
                try {
                    consumer = consumers.get();
                    if (!running) {
                        break; // closed while the consumer was being created: its wakeup went nowhere
                    }
                    read(consumer);
                } catch (WakeupException e) {
                    if (running) {
                        fail(e);
                    }
                } catch (InterruptException e) {
                    return;
                } catch (KafkaException | IllegalStateException e) {
                    fail(e);
                } finally {
                    closeConsumer();
                }
                if (!running) {
                    break;
                }
                if (System.nanoTime() - began > maxBackoff.toNanos() * 2) {
                    backoff = MIN_BACKOFF; // it read for a while: this is a new failure, not the same one
                }
                LOG.warn("state reader {} restarts in {}", name, backoff);
                lastTurn = System.nanoTime();
                if (closing.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            down = "stopped: " + describe(e);
            LOG.error("state reader {} stopped for good: {}", name, e.toString(), e);
        } finally {
            stopped.countDown();
        }
    }

    private void fail(RuntimeException e) {
        failure = e;
        restarts++;
        down = describe(e);
        LOG.warn("state reader {} failed ({}): every topic is read again from its start", name, down);
        sink.onReaderDown(down);
    }

    private void closeConsumer() {
        Consumer<String, byte[]> c = consumer;
        consumer = null;
        syncTargets.clear();
        synced.clear();
        lag.clear();
        unreadableUntil.clear();
        unreadableBackoff.clear();
        unreadable.clear();
        if (c != null) {
            try {
                c.close(Duration.ofSeconds(2));
            } catch (KafkaException e) {
                LOG.debug("state reader {}: closing the consumer failed: {}", name, e.toString());
            }
        }
    }

    /** One consumer's life: returns when the reader is closed, throws when the consumer failed. */
    private void read(Consumer<String, byte[]> consumer) throws InterruptedException {
        long nextRefresh = 0;
        while (running) {
            lastTurn = System.nanoTime();
            try {
                if (System.nanoTime() >= nextRefresh) {
                    refreshAssignment(consumer);
                    nextRefresh = System.nanoTime() + refreshInterval.toNanos();
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(Math.min(200, refreshInterval.toMillis()));
                    continue;
                }
                processRewinds(consumer);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    sink.onRecord(StatePublisher.toRaw(r));
                }
                checkSynced(consumer);
                down = null;
                sink.onConnected(connected(consumer));
                sink.onPollComplete();
            } catch (TopicAuthorizationException e) {
                setAside(consumer, e);
            }
        }
    }

    /**
     * The reader may not read these topics (an ACL is missing or was revoked): they leave the assignment and are
     * tried again, from their start, after a backoff; the others are read on.
     */
    private void setAside(Consumer<String, byte[]> consumer, TopicAuthorizationException e) {
        Set<String> topics = e.unauthorizedTopics().isEmpty()
                ? Set.copyOf(consumer.assignment().stream()
                        .map(TopicPartition::topic)
                        .toList())
                : e.unauthorizedTopics();
        Set<TopicPartition> keep = new HashSet<>(consumer.assignment());
        keep.removeIf(tp -> topics.contains(tp.topic()));
        consumer.assign(keep);
        long now = System.nanoTime();
        for (String topic : topics) {
            Duration backoff = unreadableBackoff.merge(
                    topic,
                    MIN_BACKOFF,
                    (was, first) -> was.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : was.multipliedBy(2));
            unreadableUntil.put(topic, now + backoff.toNanos());
            syncTargets.keySet().removeIf(tp -> tp.topic().equals(topic));
            synced.remove(topic);
            lag.remove(topic);
            String reason = "not authorised to read " + topic + ": " + e.getMessage();
            unreadable.put(topic, reason);
            LOG.warn("state reader {}: {}; trying again in {}", name, reason, backoff);
            sink.onTopicUnreadable(topic, reason);
        }
    }

    /** The consumer's own "connection-count" metric: open connections to brokers. */
    private static boolean connected(Consumer<String, byte[]> consumer) {
        for (var e : consumer.metrics().entrySet()) {
            if (e.getKey().name().equals("connection-count")
                    && e.getKey().group().equals("consumer-metrics")
                    && e.getValue().metricValue() instanceof Double d) {
                return d > 0;
            }
        }
        return true; // no such metric: assume connected, as before
    }

    private void refreshAssignment(Consumer<String, byte[]> consumer) {
        Set<TopicPartition> wanted = new HashSet<>(consumer.assignment());
        List<TopicPartition> added = new ArrayList<>();
        long now = System.nanoTime();
        try {
            consumer.listTopics(requestTimeout).forEach((topic, partitions) -> {
                Long until = unreadableUntil.get(topic);
                if (topicPattern.matcher(topic).matches() && (until == null || now >= until)) {
                    partitions.forEach(p -> {
                        TopicPartition tp = new TopicPartition(topic, p.partition());
                        if (wanted.add(tp)) {
                            added.add(tp);
                        }
                    });
                }
            });
        } catch (TopicAuthorizationException e) {
            throw e;
        } catch (KafkaException e) {
            down = "cannot list topics: " + describe(e);
            LOG.warn("state reader {} cannot list topics yet: {}", name, e.getMessage());
            return;
        }
        if (consumer.assignment().isEmpty()) {
            down = null; // listed, and nothing to read yet: that is reading everything there is
        }
        if (added.isEmpty()) {
            sink.onTopicsListed();
            return;
        }
        consumer.assign(wanted);
        consumer.seekToBeginning(added);
        syncTargets.putAll(consumer.endOffsets(added, requestTimeout));
        for (TopicPartition tp : added) {
            unreadableUntil.remove(tp.topic());
            unreadable.remove(tp.topic());
            LOG.info("state reader {} reads {} up to offset {} before it is synced", name, tp, syncTargets.get(tp));
            sink.onTopicAdded(tp.topic());
        }
        sink.onTopicsListed();
    }

    private void processRewinds(Consumer<String, byte[]> consumer) {
        for (String topic = rewinds.poll(); topic != null; topic = rewinds.poll()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            if (!consumer.assignment().contains(tp)) {
                continue; // not (yet) assigned: when it is, it is read from its start anyway
            }
            consumer.seekToBeginning(List.of(tp));
            syncTargets.putAll(consumer.endOffsets(List.of(tp), requestTimeout));
            synced.remove(topic);
            LOG.info("state reader {} rewinds {} to its start", name, tp);
            sink.onTopicAdded(topic);
        }
    }

    private void checkSynced(Consumer<String, byte[]> consumer) {
        for (TopicPartition tp : consumer.assignment()) {
            long position = consumer.position(tp, requestTimeout);
            Long target = syncTargets.get(tp);
            if (target != null && position >= target) {
                syncTargets.remove(tp);
                synced.add(tp.topic());
                unreadableBackoff.remove(tp.topic());
                sink.onSynced(tp.topic());
            }
            consumer.currentLag(tp).ifPresent(l -> lag.put(tp.topic(), l));
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = e.getClass().getSimpleName() + ": " + e.getMessage();
        return root == e ? top : top + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    @Override
    public void close() {
        running = false;
        closing.countDown();
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) {
                LOG.warn("state reader {} did not stop within 10 s", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
