package io.meshgw.mesh.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates and checks a cluster's state topic: compacted (the latest value per key is the state),
 * one partition (a total order per source cluster). An existing topic that breaks either rule is
 * reported, never silently changed.
 */
public final class StateTopic {

    private StateTopic() {}

    /**
     * Creates {@code topic} if missing, then verifies it.
     *
     * @param replicationFactor 3 in production; 1 against a single test broker
     */
    public static void ensure(KafkaSettings settings, String topic, short replicationFactor) {
        try (Admin admin = Admin.create(settings.base())) {
            long timeoutMs = settings.requestTimeout().toMillis();
            NewTopic spec = new NewTopic(topic, 1, replicationFactor)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            // tombstones must outlive the time a reader may be away, so it sees deletes
                            TopicConfig.DELETE_RETENTION_MS_CONFIG,
                            Long.toString(TimeUnit.DAYS.toMillis(7))));
            try {
                admin.createTopics(List.of(spec)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create state topic " + topic + ": " + e.getCause(), e);
                }
            }
            verify(admin, topic, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at " + settings.bootstrapServers() + " did not answer within " + settings.requestTimeout()
                            + " while creating " + topic,
                    e);
        }
    }

    /**
     * Right after a topic is created the broker may not know it yet for a moment; ask again
     * until it does, within the timeout.
     */
    private static TopicDescription describe(Admin admin, String topic, long timeoutMs)
            throws InterruptedException, TimeoutException, ExecutionException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(timeoutMs, TimeUnit.MILLISECONDS)
                        .get(topic);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void verify(Admin admin, String topic, long timeoutMs)
            throws InterruptedException, TimeoutException {
        try {
            TopicDescription d = describe(admin, topic, timeoutMs);
            if (d.partitions().size() != 1) {
                throw new IllegalStateException(
                        "state topic " + topic + " has " + d.partitions().size()
                                + " partitions; mesh-sync needs exactly 1 for a total order per cluster."
                                + " Recreate it with one partition (its content is rebuilt by the publisher).");
            }
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(res))
                    .all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(res);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new IllegalStateException("state topic " + topic + " has cleanup.policy=" + policy
                        + "; mesh-sync needs 'compact' so the latest value per key is kept forever."
                        + " Set it with: kafka-configs --alter --entity-type topics --entity-name " + topic
                        + " --add-config cleanup.policy=compact");
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe state topic " + topic + ": " + e.getCause(), e);
        }
    }
}
