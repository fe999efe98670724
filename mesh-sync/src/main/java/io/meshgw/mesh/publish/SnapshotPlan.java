package io.meshgw.mesh.publish;

import io.meshgw.mesh.kafka.OutgoingRecord;
import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ParsedKey;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.Decoded;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.Validator;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.mesh.wire.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a starting publisher must write so that its topic holds exactly its desired state: the
 * difference between that state and what the topic holds now. Pure, so it is tested without a
 * broker.
 *
 * @param highestEpoch the highest epoch any record in the topic carries (0 for an empty topic)
 * @param puts values that are missing or differ
 * @param deletes keys (as text) the topic holds but the desired state does not, including keys of
 *     records that do not validate, so compaction clears them away
 * @param unchanged how many desired values the topic already holds
 */
public record SnapshotPlan(long highestEpoch, Map<StateKey, StateValue> puts, List<String> deletes, int unchanged) {

    public static SnapshotPlan of(
            Map<StateKey, StateValue> desired, Map<String, RawRecord> current, Validator validator) {
        long highestEpoch = 0;
        Map<StateKey, StateValue> held = new HashMap<>();
        List<String> deletes = new ArrayList<>();
        for (RawRecord r : current.values()) {
            // An impossible epoch (beyond its offset + 1) is not one to continue from: it would overflow ours.
            if (RecordHeaders.parse(r.headers()) instanceof Decoded.Ok<RecordHeaders> ok
                    && ok.value().epochPossibleAt(r.offset())) {
                highestEpoch = Math.max(highestEpoch, ok.value().epoch());
            }
            switch (validator.validate(r)) {
                case Verdict.Accepted a -> {
                    if (a.record().key().deletable()) {
                        held.put(a.record().key(), a.record().value());
                    }
                }
                case Verdict.Rejected ignored -> {
                    // A meta key is overwritten by the snapshot itself; an empty key cannot be named.
                    boolean meta = StateKey.parse(r.key()) instanceof ParsedKey.Valid v
                            && !v.key().deletable();
                    if (!meta && !r.key().isEmpty()) {
                        deletes.add(r.key());
                    }
                }
            }
        }
        Map<StateKey, StateValue> puts = new LinkedHashMap<>();
        int unchanged = 0;
        for (Map.Entry<StateKey, StateValue> e : desired.entrySet()) {
            if (e.getValue().equals(held.get(e.getKey()))) {
                unchanged++;
            } else {
                puts.put(e.getKey(), e.getValue());
            }
        }
        for (StateKey k : held.keySet()) {
            if (!desired.containsKey(k)) {
                deletes.add(k.format());
            }
        }
        return new SnapshotPlan(highestEpoch, puts, List.copyOf(deletes), unchanged);
    }

    /**
     * The start-up transaction: puts, deletes, a heartbeat, and last {@code meta/synced} naming
     * the seq of the record before it; seqs run from 1 under {@code epoch}.
     */
    public List<OutgoingRecord> records(int cluster, long epoch, Heartbeat heartbeat) {
        List<OutgoingRecord> records = new ArrayList<>();
        long seq = 1;
        for (StateValue v : puts.values()) {
            records.add(put(cluster, epoch, seq++, v));
        }
        for (String key : deletes) {
            records.add(delete(cluster, epoch, seq++, key));
        }
        records.add(put(cluster, epoch, seq++, heartbeat));
        records.add(put(cluster, epoch, seq, new SyncedMarker(epoch, seq - 1)));
        return records;
    }

    static OutgoingRecord put(int cluster, long epoch, long seq, StateValue v) {
        return new OutgoingRecord(
                v.key().format(), RecordHeaders.v1(cluster, epoch, seq).toKafka(), ValueCodec.encode(cluster, v));
    }

    static OutgoingRecord delete(int cluster, long epoch, long seq, String key) {
        return new OutgoingRecord(key, RecordHeaders.v1(cluster, epoch, seq).toKafka(), null);
    }
}
