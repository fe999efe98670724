package io.meshgw.mesh.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void tlsAndSaslSettingsPassThrough() {
        var s = new KafkaSettings(
                "kafka:9093",
                Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"),
                "cluster-a",
                Duration.ofSeconds(10));
        assertThat(s.base())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "kafka:9093")
                .containsEntry("request.timeout.ms", 10_000);
    }

    @Test
    void settingsThatOrderingAndFencingDependOnCannotBeOverridden() {
        assertThatThrownBy(() -> new KafkaSettings(
                        "k:9092", Map.of("isolation.level", "read_uncommitted"), "a", Duration.ofSeconds(5)))
                .hasMessageContaining("must not set isolation.level");
    }

    @Test
    void emptyBootstrapIsRejected() {
        assertThatThrownBy(() -> KafkaSettings.of(" ", "a")).hasMessageContaining("bootstrapServers is empty");
    }
}
