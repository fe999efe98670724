package io.meshgw.mesh.kafka;

import java.util.List;
import java.util.Map;

/**
 * The port a cluster's publisher writes through: {@link StatePublisher} on Kafka, an in-memory
 * log in unit tests.
 */
public interface TopicWriter extends AutoCloseable {

    String topic();

    /**
     * The latest committed record per key, deleted keys absent. Called after the writer claimed
     * the topic (fencing any older writer), so nothing older can be committed afterwards.
     */
    Map<String, RawRecord> readCurrent();

    /** Writes all records in one transaction; throws {@link PublisherFencedException} when fenced. */
    void publish(List<OutgoingRecord> records);

    @Override
    void close();
}
