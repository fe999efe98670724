package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.OutgoingRecord;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.kafka.TopicWriter;
import java.util.List;
import java.util.Map;

/** A writer whose network can be cut: while cut, every transaction fails as if unreachable. */
final class CuttableWriter implements TopicWriter {
    private final TopicWriter inner;
    volatile boolean cut;

    CuttableWriter(TopicWriter inner) {
        this.inner = inner;
    }

    @Override
    public String topic() {
        return inner.topic();
    }

    @Override
    public Map<String, RawRecord> readCurrent() {
        return inner.readCurrent();
    }

    @Override
    public void publish(List<OutgoingRecord> records) {
        if (cut) {
            throw new IllegalStateException("network cut");
        }
        inner.publish(records);
    }

    @Override
    public void close() {
        inner.close();
    }
}
