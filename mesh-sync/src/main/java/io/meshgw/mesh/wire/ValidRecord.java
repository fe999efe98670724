package io.meshgw.mesh.wire;

import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;

/**
 * A record that passed the {@link Validator}: topic, headers, key and value agree.
 *
 * @param value {@code null} for a tombstone
 */
public record ValidRecord(String topic, long offset, RecordHeaders headers, StateKey key, StateValue value) {

    public boolean tombstone() {
        return value == null;
    }

    public int cluster() {
        return headers.cluster();
    }
}
