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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and checks a cluster's state topic: compacted (the latest value per key is the state),
 * one partition (a total order per source cluster), replicated as asked. An existing topic that
 * breaks the first two rules is refused; one with fewer copies, or fewer required in sync, than
 * asked is reported. Neither is ever silently changed.
 */
public final class StateTopic {

    private static final Logger LOG = LoggerFactory.getLogger(StateTopic.class);

    private StateTopic() {}

    /** Creates {@code topic} if missing, with {@code replication}, then verifies it. */
    public static void ensure(KafkaSettings settings, String topic, TopicReplication replication) {
        try (Admin admin = Admin.create(settings.base())) {
            long timeoutMs = settings.requestTimeout().toMillis();
            NewTopic spec = new NewTopic(topic, 1, replication.factor())
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT,
                            // tombstones must outlive the time a reader may be away, so it sees deletes
                            TopicConfig.DELETE_RETENTION_MS_CONFIG,
                            Long.toString(TimeUnit.DAYS.toMillis(7)),
                            // not the brokers' default (1): an acknowledged transaction is on two brokers
                            TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                            Integer.toString(replication.minInsyncReplicas())));
            try {
                admin.createTopics(List.of(spec)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("cannot create state topic " + topic + ": " + e.getCause(), e);
                }
            }
            verify(admin, topic, replication, timeoutMs);
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

    private static void verify(Admin admin, String topic, TopicReplication replication, long timeoutMs)
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
            int copies = d.partitions().getFirst().replicas().size();
            if (copies < replication.factor()) {
                LOG.warn(
                        "state topic {} has {} replica(s), fewer than the {} asked for: losing a broker may lose its"
                                + " records or stop publishing. Reassign its partition to more brokers"
                                + " (kafka-reassign-partitions)",
                        topic,
                        copies,
                        replication.factor());
            }
            int minIsr = Integer.parseInt(
                    config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
            if (minIsr < replication.minInsyncReplicas()) {
                LOG.warn(
                        "state topic {} has min.insync.replicas={}, fewer than the {} asked for: a transaction is"
                                + " acknowledged with that many copies, and a broker lost right after loses it."
                                + " Set it with: kafka-configs --alter --entity-type topics --entity-name {}"
                                + " --add-config min.insync.replicas={}",
                        topic,
                        minIsr,
                        replication.minInsyncReplicas(),
                        topic,
                        replication.minInsyncReplicas());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe state topic " + topic + ": " + e.getCause(), e);
        }
    }
}
