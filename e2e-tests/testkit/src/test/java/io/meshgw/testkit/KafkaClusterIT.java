package io.meshgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The three-node quorum against itself: a topic keeps three copies, its leader can be SIGKILLed and restarted
 * without losing an acknowledged record, and nothing is left afterwards.
 */
class KafkaClusterIT {

    private static final String TOPIC = "meshgw.cluster";

    @Test
    void killingTheLeaderMovesLeadershipAndTheRestartedNodeCatchesUp() throws Exception {
        List<Long> pids = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try (KafkaCluster cluster = KafkaCluster.start()) {
            cluster.nodes().forEach(n -> {
                pids.add(n.pid());
                logs.add(n.logFile());
            });
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
                // Replication factor and min ISR from the brokers' defaults, as a topic created without them gets.
                admin.createTopics(List.of(new NewTopic(TOPIC, java.util.Optional.of(1), java.util.Optional.empty())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            cluster.awaitFullyReplicated(TOPIC, Duration.ofSeconds(30));
            assertThat(cluster.inSyncReplicas(TOPIC)).containsExactlyInAnyOrder(1, 2, 3);
            send(cluster, "before");

            int leader = cluster.leaderOf(TOPIC);
            long killedPid = cluster.node(leader).pid();
            cluster.kill(leader);
            assertThat(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            assertThatThrownBy(() -> cluster.node(leader).pid()).isInstanceOf(IllegalStateException.class);
            send(cluster, "while-down"); // acks=all: the two other copies are enough (min.insync.replicas=2)
            assertThat(cluster.leaderOf(TOPIC)).isNotEqualTo(leader);

            cluster.restart(leader);
            cluster.awaitFullyReplicated(TOPIC, Duration.ofSeconds(60));
            send(cluster, "after");
            assertThat(readAll(cluster, 3)).containsExactly("before", "while-down", "after");
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("node process %d is gone", pid)
                    .isFalse();
        }
        for (Path log : logs) {
            assertThat(Files.exists(log.getParent()))
                    .as("work directory deleted")
                    .isFalse();
        }
    }

    private static void send(KafkaCluster cluster, String value) throws Exception {
        Map<String, Object> conf = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class);
        try (var producer = new KafkaProducer<String, String>(conf)) {
            producer.send(new ProducerRecord<>(TOPIC, "k", value)).get(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> readAll(KafkaCluster cluster, int expected) {
        Map<String, Object> conf = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        List<String> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<String, String>(conf)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
