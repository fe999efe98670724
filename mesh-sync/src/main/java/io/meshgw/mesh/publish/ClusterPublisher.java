package io.meshgw.mesh.publish;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.OutgoingRecord;
import io.meshgw.mesh.kafka.PublisherFencedException;
import io.meshgw.mesh.kafka.StatePublisher;
import io.meshgw.mesh.kafka.StateTopic;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.kafka.TopicWriter;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.Validator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one cluster's state to its topic. It holds the desired state; the topic converges to
 * it.
 *
 * <p>On {@link #start} it reads the topic to its end, and writes in ONE transaction the difference
 * to its desired state (puts and tombstones), a heartbeat and {@code meta/synced}: readers never
 * see a half-written snapshot. Its epoch is one more than the highest epoch in the topic, so
 * every record of this instance orders after every record of the ones before it.
 *
 * <p>Afterwards changes are written incrementally by one flusher thread, which takes every change
 * made since its last transaction into the next one (group commit: throughput does not depend on
 * the transaction round trip). A failed transaction wrote nothing visible; its keys stay pending
 * and are retried with backoff, always with their latest value. A heartbeat is written every
 * {@code heartbeatInterval}. When a newer instance fences this one, it stops for good.
 */
public final class ClusterPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterPublisher.class);

    private final PublisherOptions options;
    private final TopicWriter log;
    private final long epoch;
    private final Object lock = new Object();
    private final Map<StateKey, StateValue> desired;
    private final Map<StateKey, StateValue> published;
    private final Set<StateKey> dirty = new LinkedHashSet<>();
    private final Thread flusher;
    private long nextSeq;
    private long changeGen;
    private long committedGen;
    private long nextHeartbeatNanos;
    private boolean heartbeatDue;
    private boolean running = true;
    private RuntimeException stoppedBy;
    private RuntimeException lastError;
    private long transactions;
    private long failures;

    private ClusterPublisher(
            PublisherOptions options, TopicWriter log, long epoch, Map<StateKey, StateValue> state, long nextSeq) {
        this.options = options;
        this.log = log;
        this.epoch = epoch;
        this.desired = new HashMap<>(state);
        this.published = new HashMap<>(state);
        this.nextSeq = nextSeq;
        this.nextHeartbeatNanos =
                System.nanoTime() + options.heartbeatInterval().toNanos();
        this.flusher = Thread.ofPlatform()
                .daemon()
                .name("mesh-publisher-" + options.cluster().id())
                .unstarted(this::runFlusher);
    }

    /**
     * Reads the topic, writes the start-up snapshot and starts publishing. {@code log} must
     * already have claimed the topic (for Kafka: {@code StatePublisher.open}, which fences older
     * instances), so nothing older can be committed after it was read. Throws if the snapshot
     * cannot be written; nothing of it is then visible and start can be called again.
     */
    public static ClusterPublisher start(
            PublisherOptions options, TopicWriter log, Collection<? extends StateValue> initial) {
        int cluster = options.cluster().id();
        if (options.topics().clusterOf(log.topic()) != cluster) {
            throw new IllegalArgumentException(
                    "topic " + log.topic() + " is not the state topic of cluster " + options.cluster());
        }
        Map<StateKey, StateValue> state = new LinkedHashMap<>();
        for (StateValue v : initial) {
            state.put(checkPublishable(cluster, v).key(), v);
        }
        SnapshotPlan plan = SnapshotPlan.of(state, log.readCurrent(), new Validator(options.topics()));
        long epoch = plan.highestEpoch() + 1;
        List<OutgoingRecord> records = plan.records(cluster, epoch, heartbeat(options));
        log.publish(records);
        LOG.info(
                "publisher of {} started epoch {} on {}: snapshot wrote {} put(s) and {} delete(s), {} unchanged",
                options.cluster(),
                epoch,
                log.topic(),
                plan.puts().size(),
                plan.deletes().size(),
                plan.unchanged());
        ClusterPublisher p = new ClusterPublisher(options, log, epoch, state, records.size() + 1);
        p.flusher.start();
        return p;
    }

    /**
     * Creates the cluster's topic if needed, claims it with a transactional producer whose
     * transactional id is the topic name (one per cluster, so a second instance fences the
     * first), and {@linkplain #start starts}.
     *
     * @param replication the topic's copies when it is created here: {@link TopicReplication#production()}, or one
     *     against a single test broker
     */
    public static ClusterPublisher openOnKafka(
            KafkaSettings settings,
            PublisherOptions options,
            TopicReplication replication,
            Collection<? extends StateValue> initial) {
        String topic = options.topics().topicOf(options.cluster());
        StateTopic.ensure(settings, topic, replication);
        StatePublisher writer = StatePublisher.open(
                settings,
                topic,
                options.topics().transactionalIdOf(options.cluster().id()));
        try {
            return start(options, writer, initial);
        } catch (RuntimeException e) {
            writer.close();
            throw e;
        }
    }

    public long epoch() {
        return epoch;
    }

    /** Sets a value; written by the next transaction. */
    public void put(StateValue value) {
        update(List.of(value), List.of());
    }

    /** Deletes a key; written by the next transaction. */
    public void remove(StateKey key) {
        update(List.of(), List.of(key));
    }

    /** Sets and deletes together; readers see both in the same transaction or later ones. */
    public void update(Collection<? extends StateValue> puts, Collection<? extends StateKey> removes) {
        int cluster = options.cluster().id();
        for (StateValue v : puts) {
            checkPublishable(cluster, v);
        }
        for (StateKey k : removes) {
            if (!k.deletable()) {
                throw new IllegalArgumentException(k.format() + " is written by the publisher itself");
            }
        }
        synchronized (lock) {
            requireRunning();
            for (StateValue v : puts) {
                desired.put(v.key(), v);
                dirty.add(v.key());
            }
            for (StateKey k : removes) {
                desired.remove(k);
                dirty.add(k);
            }
            changeGen++;
            lock.notifyAll();
        }
    }

    /**
     * Makes the desired state exactly {@code values}: everything else is deleted. Only keys whose value differs
     * from the desired one are marked for the next transaction, so handing over a whole state that changed in one
     * place costs one comparison per key and writes one record.
     */
    public void replaceAll(Collection<? extends StateValue> values) {
        Map<StateKey, StateValue> next = new HashMap<>();
        for (StateValue v : values) {
            next.put(checkPublishable(options.cluster().id(), v).key(), v);
        }
        synchronized (lock) {
            List<StateKey> removed =
                    desired.keySet().stream().filter(k -> !next.containsKey(k)).toList();
            List<StateValue> changed = next.values().stream()
                    .filter(v -> !v.equals(desired.get(v.key())))
                    .toList();
            if (!changed.isEmpty() || !removed.isEmpty()) {
                update(changed, removed);
            }
        }
    }

    /** Writes a heartbeat with the next transaction, now rather than when it is due. */
    public void heartbeatNow() {
        synchronized (lock) {
            heartbeatDue = true;
            changeGen++;
            lock.notifyAll();
        }
    }

    /**
     * Waits until every change made before this call is committed. Throws when the publisher
     * was fenced or closed, or when {@code timeout} passes (the changes stay pending).
     */
    public void flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            long target = changeGen;
            while (committedGen < target) {
                requireRunning();
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("changes of " + options.cluster() + " not committed within "
                            + timeout + (lastError == null ? "" : "; last error: " + lastError.getMessage()));
                }
                waitOn(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Keys whose latest change is not committed yet. */
    public int pending() {
        synchronized (lock) {
            return dirty.size();
        }
    }

    /** Transactions committed and failed since start, for metrics. */
    public long transactions() {
        synchronized (lock) {
            return transactions;
        }
    }

    public long failures() {
        synchronized (lock) {
            return failures;
        }
    }

    /** Whether a newer instance fenced this one. */
    public boolean fenced() {
        synchronized (lock) {
            return stoppedBy instanceof PublisherFencedException;
        }
    }

    private void requireRunning() {
        if (stoppedBy != null) {
            throw stoppedBy instanceof PublisherFencedException f
                    ? f
                    : new IllegalStateException("publisher of " + options.cluster() + " is closed", stoppedBy);
        }
    }

    /** One batch taken for a transaction: the records and what they make the topic hold. */
    private record Batch(List<OutgoingRecord> records, Map<StateKey, StateValue> values, boolean heartbeat, long gen) {}

    private void runFlusher() {
        long backoffMs = 0;
        while (true) {
            Batch batch;
            synchronized (lock) {
                while (running && dirty.isEmpty() && !heartbeatDue && committedGen == changeGen) {
                    long untilBeat = nextHeartbeatNanos - System.nanoTime();
                    if (untilBeat <= 0) {
                        heartbeatDue = true;
                        break;
                    }
                    waitOn(Math.max(1, untilBeat / 1_000_000));
                }
                if (!running) {
                    return;
                }
                batch = takeBatch();
            }
            try {
                if (!batch.records().isEmpty()) {
                    log.publish(batch.records());
                }
                committed(batch);
                backoffMs = 0;
            } catch (PublisherFencedException e) {
                LOG.error("publisher of {} epoch {} stops: {}", options.cluster(), epoch, e.getMessage());
                stop(e);
                return;
            } catch (RuntimeException e) {
                backoffMs = backoffMs == 0
                        ? options.retryBackoff().toMillis()
                        : Math.min(backoffMs * 2, options.retryBackoff().toMillis() * 10);
                failed(batch, e, backoffMs);
                sleep(backoffMs);
            }
        }
    }

    private Batch takeBatch() {
        int cluster = options.cluster().id();
        List<OutgoingRecord> records = new ArrayList<>();
        Map<StateKey, StateValue> values = new HashMap<>();
        var it = dirty.iterator();
        while (it.hasNext() && records.size() < options.maxBatch()) {
            StateKey k = it.next();
            it.remove();
            StateValue want = desired.get(k);
            if (Objects.equals(want, published.get(k))) {
                continue;
            }
            values.put(k, want);
            records.add(
                    want == null
                            ? SnapshotPlan.delete(cluster, epoch, nextSeq++, k.format())
                            : SnapshotPlan.put(cluster, epoch, nextSeq++, want));
        }
        boolean beat = heartbeatDue || System.nanoTime() >= nextHeartbeatNanos;
        if (beat) {
            records.add(SnapshotPlan.put(cluster, epoch, nextSeq++, heartbeat(options)));
            heartbeatDue = false;
            nextHeartbeatNanos = System.nanoTime() + options.heartbeatInterval().toNanos();
        }
        return new Batch(records, values, beat, dirty.isEmpty() ? changeGen : committedGen);
    }

    private void committed(Batch batch) {
        synchronized (lock) {
            batch.values().forEach((k, v) -> {
                if (v == null) {
                    published.remove(k);
                } else {
                    published.put(k, v);
                }
            });
            committedGen = Math.max(committedGen, batch.gen());
            if (!batch.records().isEmpty()) {
                transactions++;
            }
            lastError = null;
            lock.notifyAll();
        }
    }

    private void failed(Batch batch, RuntimeException e, long backoffMs) {
        synchronized (lock) {
            // The keys keep their latest desired value; the next batch writes that.
            dirty.addAll(batch.values().keySet());
            heartbeatDue |= batch.heartbeat();
            failures++;
            lastError = e;
            lock.notifyAll();
        }
        LOG.warn(
                "publisher of {}: transaction of {} record(s) failed, retrying in {} ms: {}",
                options.cluster(),
                batch.records().size(),
                backoffMs,
                e.getMessage());
    }

    private void stop(RuntimeException why) {
        synchronized (lock) {
            running = false;
            if (stoppedBy == null) {
                stoppedBy = why;
            }
            lock.notifyAll();
        }
    }

    private void waitOn(long millis) {
        try {
            lock.wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StateValue checkPublishable(int cluster, StateValue v) {
        if (!v.key().deletable()) {
            throw new IllegalArgumentException(v.key().format() + " is written by the publisher itself");
        }
        if (v instanceof EndpointSlice s && s.owningCluster() != cluster) {
            throw new IllegalArgumentException("slice " + s.key().format() + " is owned by cluster " + s.owningCluster()
                    + "; cluster " + cluster + " cannot publish it");
        }
        return v;
    }

    private static Heartbeat heartbeat(PublisherOptions options) {
        return new Heartbeat(options.clock().instant(), options.cluster().name());
    }

    /** Writes what is pending (for up to two seconds), stops the flusher and closes the log. */
    @Override
    public void close() {
        try {
            flush(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.warn("publisher of {} closes with changes not written: {}", options.cluster(), e.getMessage());
        }
        stop(new IllegalStateException("closed"));
        try {
            flusher.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
