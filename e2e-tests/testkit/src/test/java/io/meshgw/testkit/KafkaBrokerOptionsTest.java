package io.meshgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaBrokerOptionsTest {

    @Test
    void baseConfigIsASingleNodeKraftQuorumOnLoopback() {
        var c = KafkaBrokerOptions.baseConfig(
                "127.0.0.1", 9092, 9093, Path.of("/tmp/d"), KraftNode.single("127.0.0.1", 9093));
        assertThat(c)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void aNodeOfThreeKeepsThreeCopiesAndAcknowledgesOnTwo() {
        var node = KraftNode.of(2, "127.0.0.1", List.of(9101, 9102, 9103));
        var c = KafkaBrokerOptions.baseConfig("127.0.0.1", 9092, 9102, Path.of("/tmp/d"), node);
        assertThat(c)
                .containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("transaction.state.log.min.isr", "2")
                .containsEntry("offsets.topic.replication.factor", "3");
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
