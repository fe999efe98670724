package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one cluster's state topic with a transactional producer. The transactional id is the
 * cluster's, so when a second instance of the same cluster's publisher starts, Kafka fences the
 * first: its next {@link #publish} throws {@link PublisherFencedException} and nothing it writes
 * becomes visible to readers (they read committed data only).
 *
 * <p>Each {@link #publish} call is one transaction: all of its records become visible together
 * or not at all. A call that fails for any other reason (broker unreachable, timeout) throws; its
 * batch is normally not visible, but a commit that timed out on the client may still complete on
 * the broker. Either way the caller still holds its desired state and publishes its latest values
 * again, which is safe: readers apply the newer sequence number.
 */
public final class StatePublisher implements TopicWriter {

    private static final Logger LOG = LoggerFactory.getLogger(StatePublisher.class);

    private final KafkaSettings settings;
    private final String topic;
    private final String transactionalId;
    private KafkaProducer<String, byte[]> producer;
    /** Set when a producer restart could not claim the transactional id yet. */
    private boolean needsInit;
    /** Set when a commit timed out: the next publish completes it before anything else. */
    private boolean commitPending;

    private StatePublisher(KafkaSettings settings, String topic, String transactionalId) {
        this.settings = settings;
        this.topic = topic;
        this.transactionalId = transactionalId;
    }

    /**
     * Opens the publisher and claims the transactional id, fencing any older instance and
     * aborting its open transaction.
     */
    public static StatePublisher open(KafkaSettings settings, String topic, String transactionalId) {
        StatePublisher p = new StatePublisher(settings, topic, transactionalId);
        p.producer = p.newProducer();
        try {
            p.producer.initTransactions();
        } catch (KafkaException e) {
            p.producer.close(Duration.ZERO);
            throw new IllegalStateException(
                    "cannot start the transactional publisher for " + topic + " at " + settings.bootstrapServers()
                            + ": " + e.getMessage(),
                    e);
        }
        LOG.info("publisher for {} ready (transactional.id={})", topic, transactionalId);
        return p;
    }

    private KafkaProducer<String, byte[]> newProducer() {
        Map<String, Object> conf = settings.base();
        conf.put("transactional.id", transactionalId);
        conf.put("enable.idempotence", true);
        conf.put("acks", "all");
        conf.put("linger.ms", 2);
        // A transaction's records are retried when the broker cannot take them yet, most often right after the
        // previous commit, while its coordinator still writes the markers (CONCURRENT_TRANSACTIONS). Kafka's first
        // wait of 100 ms then becomes the update's whole latency; 10 ms, still doubling up to
        // retry.backoff.max.ms for a failure that lasts, keeps back-to-back transactions back to back.
        conf.putIfAbsent("retry.backoff.ms", 10);
        conf.put("transaction.timeout.ms", 60_000);
        conf.put("delivery.timeout.ms", (int)
                Math.max(30_000, settings.requestTimeout().toMillis() * 2));
        conf.put("max.block.ms", settings.requestTimeout().toMillis());
        return new KafkaProducer<>(conf, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public String topic() {
        return topic;
    }

    /** Writes the records in one transaction and returns once Kafka has committed it. */
    @Override
    public synchronized void publish(List<OutgoingRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            if (needsInit) {
                producer.initTransactions();
                needsInit = false;
            }
            if (commitPending) {
                // Kafka's way out of a commit that timed out: complete that commit (or learn that
                // this instance was fenced), never re-initialise, which could fence a newer one.
                producer.commitTransaction();
                commitPending = false;
            }
            producer.beginTransaction();
            List<Future<?>> acks = new ArrayList<>(records.size());
            for (OutgoingRecord r : records) {
                List<Header> headers = new ArrayList<>();
                r.headers().forEach((k, v) -> headers.add(new RecordHeader(k, v)));
                acks.add(producer.send(new ProducerRecord<>(topic, 0, r.key(), r.value(), headers)));
            }
            try {
                producer.commitTransaction();
            } catch (TimeoutException e) {
                commitPending = true;
                throw e;
            }
            for (Future<?> ack : acks) {
                ack.get(); // already complete after the commit; surfaces a per-record failure
            }
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            closeQuietly();
            throw new PublisherFencedException(topic, e);
        } catch (TimeoutException e) {
            if (!commitPending) {
                abortOrReset(e);
            }
            throw new IllegalStateException(
                    "publishing " + records.size() + " record(s) to " + topic
                            + " timed out (publish the latest state again): " + rootMessage(e),
                    e);
        } catch (KafkaException | ExecutionException | IllegalStateException e) {
            // IllegalStateException: Kafka's transaction manager refusing an operation in the
            // state a failure left it in; resetting the producer settles the transaction.
            if (abortOrReset(e)) {
                throw new PublisherFencedException(topic, e);
            }
            throw new IllegalStateException(
                    "publishing " + records.size() + " record(s) to " + topic
                            + " failed (publish the latest state again): " + rootMessage(e),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abortOrReset(e);
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        }
    }

    /**
     * After a failed transaction the producer may be unusable (e.g. a commit that timed out);
     * abort if possible, otherwise start a new producer with the same transactional id, which
     * aborts the open transaction on the broker.
     */
    private boolean abortOrReset(Exception cause) {
        commitPending = false;
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException | InvalidProducerEpochException fenced) {
            // A newer instance owns the id: re-initialising would fence it in turn.
            closeQuietly();
            return true;
        } catch (KafkaException | IllegalStateException abortFailed) {
            LOG.warn("publisher for {} could not abort after {}; restarting the producer", topic, rootMessage(cause));
            closeQuietly();
            producer = newProducer();
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                LOG.warn("publisher for {} cannot re-initialise yet: {}", topic, e.getMessage());
                closeQuietly();
                producer = newProducer(); // initTransactions is retried by the next publish()
                needsInit = true;
            }
        }
        return false;
    }

    /**
     * Reads this cluster's own topic from the start to its end offset (committed data only) and
     * returns the latest record per key; deleted keys are absent. A publisher diffs this against
     * its current state on start.
     */
    @Override
    public Map<String, RawRecord> readCurrent() {
        Map<String, Object> conf = settings.base();
        conf.put("isolation.level", "read_committed");
        conf.put("enable.auto.commit", false);
        conf.put("client.id", settings.clientId() + "-self-reader");
        Map<String, RawRecord> latest = new LinkedHashMap<>();
        try (var consumer = new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + settings.requestTimeout().toNanos() * 4;
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " to its end offset " + end + " timed out at "
                            + consumer.position(tp));
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), toRaw(r));
                    }
                }
            }
        }
        return latest;
    }

    static RawRecord toRaw(ConsumerRecord<String, byte[]> r) {
        Map<String, byte[]> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? new byte[0] : h.value());
        }
        return new RawRecord(r.topic(), r.offset(), r.key() == null ? "" : r.key(), headers, r.value());
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private void closeQuietly() {
        try {
            producer.close(Duration.ofSeconds(1));
        } catch (KafkaException ignored) {
            // closing a fenced or broken producer may fail; it is discarded either way
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
