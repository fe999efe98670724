package io.meshgw.mesh.kafka;

import java.util.Map;
import java.util.Optional;

/**
 * How a {@link StateReader} stands.
 *
 * @param down why the reader does not read now (starting, a failed consumer waiting to restart, topics that cannot be
 *     listed); empty while it reads
 * @param restarts consumers that failed and were replaced since the reader started
 * @param unreadable topics set aside because the reader may not read them, with the broker's reason
 */
public record ReaderHealth(Optional<String> down, long restarts, Map<String, String> unreadable) {

    public ReaderHealth {
        unreadable = Map.copyOf(unreadable);
    }

    public boolean up() {
        return down.isEmpty();
    }
}
