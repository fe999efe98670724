package io.meshgw.mesh.kafka;

import java.util.Map;

/** A record to write to this cluster's state topic; a {@code null} value writes a tombstone. */
public record OutgoingRecord(String key, Map<String, byte[]> headers, byte[] value) {

    public OutgoingRecord {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a state record needs a key");
        }
        headers = Map.copyOf(headers);
    }
}
