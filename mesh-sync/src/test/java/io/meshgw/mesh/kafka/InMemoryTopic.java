package io.meshgw.mesh.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake of one state topic beside the real {@link StatePublisher}: committed transactions append
 * to an in-memory log that a test replays into a {@link RecordSink}, as the {@link StateReader}
 * would. It can fail transactions, fence its writer, and lose its history (compaction past the
 * tombstones, or a recreated topic).
 */
public final class InMemoryTopic {

    private final String topic;
    private final List<RawRecord> log = new ArrayList<>();
    private long nextOffset;
    private int failNext;
    private int writers;

    public InMemoryTopic(String topic) {
        this.topic = topic;
    }

    /** A writer that claims the topic, fencing every writer opened before it. */
    public synchronized TopicWriter open() {
        int generation = ++writers;
        return new TopicWriter() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public Map<String, RawRecord> readCurrent() {
                return InMemoryTopic.this.current();
            }

            @Override
            public void publish(List<OutgoingRecord> records) {
                InMemoryTopic.this.append(generation, records);
            }

            @Override
            public void close() {}
        };
    }

    private synchronized void append(int generation, List<OutgoingRecord> records) {
        if (generation != writers) {
            throw new PublisherFencedException(topic, new IllegalStateException("fenced by writer " + writers));
        }
        if (failNext > 0) {
            failNext--;
            throw new IllegalStateException("injected failure: broker unreachable");
        }
        for (OutgoingRecord r : records) {
            log.add(new RawRecord(topic, nextOffset++, r.key(), r.headers(), r.value()));
        }
    }

    public synchronized void failNextTransactions(int n) {
        failNext = n;
    }

    /** Appends a record as a forger with direct access to the topic would. */
    public synchronized void appendRaw(String key, Map<String, byte[]> headers, byte[] value) {
        log.add(new RawRecord(topic, nextOffset++, key, headers, value));
    }

    /**
     * As if {@code n} records had been written and compacted away: the next offset is {@code n} further on, so
     * later epochs are possible there (an epoch is at most its record's offset + 1).
     */
    public synchronized void skipOffsets(long n) {
        nextOffset += n;
    }

    public synchronized Map<String, RawRecord> current() {
        Map<String, RawRecord> m = new LinkedHashMap<>();
        for (RawRecord r : log) {
            if (r.tombstone()) {
                m.remove(r.key());
            } else {
                m.put(r.key(), r);
            }
        }
        return m;
    }

    /** Compaction after delete.retention.ms: the latest put per key only, tombstones gone. */
    public synchronized void compactAway() {
        Map<String, RawRecord> keep = current();
        List<RawRecord> compacted = new ArrayList<>(log);
        compacted.removeIf(r -> keep.get(r.key()) != r);
        log.clear();
        log.addAll(compacted);
    }

    public synchronized int size() {
        return log.size();
    }

    public synchronized List<RawRecord> records() {
        return List.copyOf(log);
    }

    public String topic() {
        return topic;
    }

    /**
     * Delivers the records at offsets from {@code fromOffset} on, then reports the topic synced and
     * the poll done; returns the offset to continue from. Offsets survive compaction, as in Kafka.
     */
    public long deliver(RecordSink sink, long fromOffset) {
        long next = fromOffset;
        for (RawRecord r : records()) {
            if (r.offset() >= fromOffset) {
                sink.onRecord(r);
                next = r.offset() + 1;
            }
        }
        sink.onSynced(topic);
        sink.onPollComplete();
        return Math.max(next, endOffset());
    }

    public synchronized long endOffset() {
        return nextOffset;
    }

    /** A reader (re)starting on this topic: added, then everything from the start. */
    public long replay(RecordSink sink) {
        sink.onTopicAdded(topic);
        return deliver(sink, 0);
    }

    static Map<String, byte[]> copy(Map<String, byte[]> headers) {
        return new HashMap<>(headers);
    }
}
