package io.meshgw.bench;

import io.meshgw.mesh.kafka.OutgoingRecord;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.kafka.TopicWriter;
import java.util.List;
import java.util.Map;

/** The publisher's transport, with each transaction's start and commit noted for its updates. */
final class TimedTopicWriter implements TopicWriter {

    private final TopicWriter delegate;
    private volatile PropagationStages stages;

    TimedTopicWriter(TopicWriter delegate) {
        this.delegate = delegate;
    }

    void measureInto(PropagationStages s) {
        stages = s;
    }

    @Override
    public String topic() {
        return delegate.topic();
    }

    @Override
    public Map<String, RawRecord> readCurrent() {
        return delegate.readCurrent();
    }

    @Override
    public void publish(List<OutgoingRecord> records) {
        long began = System.nanoTime();
        delegate.publish(records);
        long committed = System.nanoTime();
        PropagationStages s = stages;
        if (s != null) {
            int[] seqs = records.stream()
                    .mapToInt(r -> PropagationStages.sequenceOf(r.value()))
                    .toArray();
            s.transaction(began, committed, records.size(), seqs);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
