package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.InMemoryTopic;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.ValueCodec;
import java.time.Instant;

/**
 * One remote cluster's state topic written record by record, with the (epoch, seq) of each given
 * by the test, and read into a view poll by poll: for the orders and poll boundaries a real
 * publisher only produces by chance.
 */
final class ScriptedTopic {

    final int cluster;
    final InMemoryTopic topic;
    private long read;

    ScriptedTopic(int cluster) {
        this.cluster = cluster;
        this.topic = new InMemoryTopic("meshgw.state." + cluster);
        // Scripts start at epochs > 1: leave room for the earlier epochs' (compacted) records.
        topic.skipOffsets(100);
    }

    ScriptedTopic put(long epoch, long seq, StateValue v) {
        topic.appendRaw(
                v.key().format(), RecordHeaders.v1(cluster, epoch, seq).toKafka(), ValueCodec.encode(cluster, v));
        return this;
    }

    ScriptedTopic delete(long epoch, long seq, StateKey k) {
        topic.appendRaw(k.format(), RecordHeaders.v1(cluster, epoch, seq).toKafka(), null);
        return this;
    }

    /** What a publisher of {@code epoch} ends its start-up snapshot with: a heartbeat, then the marker. */
    ScriptedTopic synced(long epoch, long seq, Instant at) {
        put(epoch, seq, new Heartbeat(at, "c" + cluster));
        return put(epoch, seq + 1, new SyncedMarker(epoch, seq));
    }

    /** One poll of what was written since the last: the records, without the topic's end reached. */
    void poll(MeshView view) {
        for (RawRecord r : topic.records()) {
            if (r.offset() >= read) {
                view.onRecord(r);
                read = r.offset() + 1;
            }
        }
        view.onPollComplete();
    }

    /** One poll that reads the topic to its end: the records, then the topic synced. */
    void pollToEnd(MeshView view) {
        read = topic.deliver(view, read);
    }

    /** The reader starts the topic from its beginning (first assignment, or a rewind). */
    void startOver(MeshView view) {
        view.onTopicAdded(topic.topic());
        read = 0;
    }
}
