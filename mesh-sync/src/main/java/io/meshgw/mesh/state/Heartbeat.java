package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;
import java.time.Instant;

/**
 * The publisher is alive. Readers judge liveness by when they receive it, not by {@code at},
 * because clusters' clocks disagree; {@code at} only helps a reader that reads an old heartbeat
 * while catching up.
 *
 * @param clusterName tells readers the publishing cluster's name, since the wire carries numbers
 */
public record Heartbeat(Instant at, String clusterName) implements StateValue {

    public Heartbeat {
        if (at == null) {
            throw new IllegalArgumentException("heartbeat has no timestamp");
        }
        NameRules.requireLabel("cluster name", clusterName);
    }

    @Override
    public MetaKey key() {
        return MetaKey.HEARTBEAT;
    }
}
