package io.meshgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KafkaBrokerOptionsTest {

    @Test
    void baseConfigIsASingleNodeKraftQuorumOnLoopback() {
        var c = KafkaBrokerOptions.baseConfig("127.0.0.1", 9092, 9093, Path.of("/tmp/d"));
        assertThat(c)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void extraConfigOverridesAndIsImmutable() {
        var o = KafkaBrokerOptions.defaults().withConfig("log.cleaner.backoff.ms", "100");
        assertThat(o.extraConfig()).containsEntry("log.cleaner.backoff.ms", "100");
        assertThat(KafkaBrokerOptions.defaults().extraConfig()).isEmpty();
    }

    @Test
    void recordedClasspathPointsAtExistingKafkaJars() {
        assertThat(KafkaBroker.brokerClasspath()).contains("kafka_2.13-").contains("kafka-clients-");
    }
}
