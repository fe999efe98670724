package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How mesh-sync reaches Kafka.
 *
 * @param bootstrapServers the brokers, {@code host:port[,host:port...]}
 * @param clientProperties passed to every Kafka client unchanged: TLS ({@code security.protocol},
 *     {@code ssl.*}) and SASL ({@code sasl.*}) settings go here
 * @param clientId a name that shows up in broker logs and quotas, e.g. the cluster's name
 * @param requestTimeout bound on each blocking call (metadata, commit, end offsets)
 */
public record KafkaSettings(
        String bootstrapServers, Map<String, String> clientProperties, String clientId, Duration requestTimeout) {

    /** Settings mesh-sync's correctness depends on; a pass-through must not override them. */
    private static final Set<String> RESERVED = Set.of(
            "enable.idempotence",
            "acks",
            "transactional.id",
            "isolation.level",
            "enable.auto.commit",
            "key.serializer",
            "value.serializer",
            "key.deserializer",
            "value.deserializer");

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is empty: give at least one host:port");
        }
        clientProperties = Map.copyOf(clientProperties);
        for (String reserved : RESERVED) {
            if (clientProperties.containsKey(reserved)) {
                throw new IllegalArgumentException("clientProperties must not set " + reserved
                        + ": mesh-sync sets it itself because ordering and fencing depend on it");
            }
        }
    }

    public static KafkaSettings of(String bootstrapServers, String clientId) {
        return new KafkaSettings(bootstrapServers, Map.of(), clientId, Duration.ofSeconds(15));
    }

    Map<String, Object> base() {
        Map<String, Object> m = new HashMap<>(clientProperties);
        m.put("bootstrap.servers", bootstrapServers);
        m.put("client.id", clientId);
        m.put("request.timeout.ms", (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis()));
        m.put("default.api.timeout.ms", (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis() * 2));
        return m;
    }
}
