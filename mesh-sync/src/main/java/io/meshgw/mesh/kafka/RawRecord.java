package io.meshgw.mesh.kafka;

import java.util.Map;

/**
 * A record as read from a state topic, before validation: mesh-sync's wire layer decides what it
 * means. A {@code null} value is a tombstone (the key was deleted).
 */
public record RawRecord(String topic, long offset, String key, Map<String, byte[]> headers, byte[] value) {

    public RawRecord {
        headers = Map.copyOf(headers);
    }

    public boolean tombstone() {
        return value == null;
    }
}
