package io.meshgw.bench;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Notes when the remote reader's {@code poll} hands out each update, before the view sees it.
 * Kafka instantiates interceptors by class name, so the phase under measurement is a static.
 */
public final class PollStamp implements ConsumerInterceptor<String, byte[]> {

    static volatile PropagationStages stages;

    @Override
    public ConsumerRecords<String, byte[]> onConsume(ConsumerRecords<String, byte[]> records) {
        PropagationStages s = stages;
        if (s != null && !records.isEmpty()) {
            long now = System.nanoTime();
            for (ConsumerRecord<String, byte[]> r : records) {
                s.polled(PropagationStages.sequenceOf(r.value()), now);
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
