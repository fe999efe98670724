package io.meshgw.mesh.publish;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.ParsedKey;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.Decoded;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.Validator;
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
            if (RecordHeaders.parse(r.headers()) instanceof Decoded.Ok<RecordHeaders> ok) {
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
}
