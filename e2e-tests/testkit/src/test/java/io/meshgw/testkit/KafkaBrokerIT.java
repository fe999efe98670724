package io.meshgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** The launcher against the real broker it starts: a record goes through, and nothing is left. */
class KafkaBrokerIT {

    @Test
    void producesAndConsumesThenLeavesNoProcessPortOrFiles() throws Exception {
        long pid;
        int port;
        Path log;
        try (KafkaBroker broker = KafkaBroker.start()) {
            pid = broker.pid();
            port = broker.port();
            log = broker.logFile();
            assertThat(KafkaBroker.portOpen(port)).isTrue();

            createTopic(broker, "meshgw.test");
            send(broker, "meshgw.test", "svc/default/web", "v1");
            assertThat(readAll(broker, "meshgw.test", 1)).containsExactly("svc/default/web=v1");
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        assertThat(handle.map(ProcessHandle::isAlive).orElse(false))
                .as("broker process %d is gone", pid)
                .isFalse();
        assertThat(KafkaBroker.portOpen(port)).as("port %d is closed", port).isFalse();
        assertThat(Files.exists(log.getParent())).as("work directory deleted").isFalse();
    }

    @Test
    void restartKeepsPortAndData() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            createTopic(broker, "meshgw.restart");
            send(broker, "meshgw.restart", "k", "before");
            long firstPid = broker.pid();
            int port = broker.port();

            broker.restart();

            assertThat(broker.pid()).isNotEqualTo(firstPid);
            assertThat(broker.port()).isEqualTo(port);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            send(broker, "meshgw.restart", "k", "after");
            assertThat(readAll(broker, "meshgw.restart", 2)).containsExactly("k=before", "k=after");
        }
    }

    private static void createTopic(KafkaBroker broker, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void send(KafkaBroker broker, String topic, String key, String value) throws Exception {
        TopicRecords.send(broker.bootstrapServers(), topic, key, value);
    }

    private static List<String> readAll(KafkaBroker broker, String topic, int expected) {
        return TopicRecords.readAll(broker.bootstrapServers(), topic, expected);
    }
}
