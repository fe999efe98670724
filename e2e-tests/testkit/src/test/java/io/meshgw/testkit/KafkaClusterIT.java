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
            assertThat(TopicRecords.readAll(cluster.bootstrapServers(), TOPIC, 3))
                    .containsExactly("k=before", "k=while-down", "k=after");
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
        TopicRecords.send(cluster.bootstrapServers(), TOPIC, "k", value);
    }
}
