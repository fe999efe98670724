package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the leader of each state topic, and the transaction coordinator of its publisher, for an end offset, to tell a
 * cluster whose log cannot be written or read now from a cluster that is silent. After a broker dies, the partitions
 * it led have a leader that does not answer until the controllers notice ({@code broker.session.timeout.ms}, 9 s by
 * default) and elect another: longer than a reader may wait for a heartbeat before it takes the cluster's endpoints
 * out of service. If the broker led the cluster's topic, its records cannot be read; if it was the coordinator of
 * the cluster's transactional id, its transactions cannot begin or commit. The cluster is not silent then; its log
 * is.
 *
 * <p>A leader that answers is not enough: an {@code acks=all} write, a transaction's commit included, waits for every
 * replica in its partition's in-sync set, and a dead follower stays in that set until the controllers fence its broker
 * ({@code broker.session.timeout.ms} again). With three copies on three brokers, every broker follows every topic, so
 * the death of any one stalls every cluster's writes for that long. The probe therefore also asks each broker in the
 * in-sync set of the topic's partition and of the coordinator's partition a question only that broker answers (its
 * configuration; a refusal is an answer too).
 *
 * <p>The coordinator of a transactional id is the leader of one partition of Kafka's transaction log, {@value
 * #TRANSACTION_LOG}: {@code abs(hashCode(id)) % partitions}, as the brokers place it. Finding it so needs the right to
 * describe that topic, not the other clusters' transactional ids (which a reader may not describe). Without the
 * right, or before the log exists, only the topics' leaders and in-sync replicas are asked.
 */
public final class TopicProbe implements AutoCloseable {

    /** Kafka's transaction log; the leader of its partition for a transactional id is that id's coordinator. */
    public static final String TRANSACTION_LOG = "__transaction_state";

    private static final Logger LOG = LoggerFactory.getLogger(TopicProbe.class);

    private final Map<String, Object> config;
    private final Duration timeout;
    private Admin admin;
    /** The transaction log's partition count once described (it never changes), else 0. */
    private int transactionLogPartitions;

    private boolean toldWhyNoCoordinators;

    private TopicProbe(Map<String, Object> config, Duration timeout) {
        this.config = config;
        this.timeout = timeout;
    }

    /** A probe that gives each leader {@code timeout} to answer. Connects on first use, never throws for the brokers. */
    public static TopicProbe of(KafkaSettings settings, Duration timeout) {
        Map<String, Object> conf = settings.base();
        conf.put("client.id", settings.clientId() + "-probe");
        int ms = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        conf.put("request.timeout.ms", ms);
        conf.put("default.api.timeout.ms", ms);
        return new TopicProbe(conf, timeout);
    }

    /**
     * Whether the leader of partition 0 of each topic, the coordinator of the transactional id its publisher writes
     * under, and every broker in the in-sync sets of both partitions answered within the timeout. Empty when the probe cannot run at all (no admin client yet): it then
     * says nothing, rather than that every topic is unreadable.
     *
     * @param transactionalIdByTopic each state topic, with its publisher's transactional id
     */
    public synchronized Map<String, Boolean> answering(Map<String, String> transactionalIdByTopic) {
        Map<String, Boolean> out = new HashMap<>();
        if (transactionalIdByTopic.isEmpty() || !connected()) {
            return out;
        }
        int logPartitions = transactionLogPartitions();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        Map<String, TopicPartition> coordinatorOf = new HashMap<>();
        transactionalIdByTopic.forEach((topic, transactionalId) -> {
            ask.put(new TopicPartition(topic, 0), OffsetSpec.latest());
            if (logPartitions > 0) {
                // The brokers' placement of a transactional id (TransactionStateManager.partitionFor).
                var p = new TopicPartition(TRANSACTION_LOG, Utils.abs(transactionalId.hashCode()) % logPartitions);
                coordinatorOf.put(topic, p);
                ask.put(p, OffsetSpec.latest());
            }
        });
        var offsets = admin.listOffsets(ask, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()));
        Set<String> topics = new HashSet<>();
        ask.keySet().forEach(tp -> topics.add(tp.topic()));
        var described = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                .topicNameValues();
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        Map<TopicPartition, Boolean> answered = new HashMap<>();
        try {
            Map<TopicPartition, List<Integer>> inSync = new HashMap<>();
            for (TopicPartition tp : ask.keySet()) {
                answered.put(tp, answered(offsets.partitionResult(tp), tp, deadline));
                inSync.put(tp, inSyncReplicas(described.get(tp.topic()), tp, deadline));
            }
            Map<Integer, KafkaFuture<?>> questions = new HashMap<>();
            inSync.values().forEach(ids -> ids.forEach(id -> questions.computeIfAbsent(id, this::askBroker)));
            long brokersDeadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
            Map<Integer, Boolean> brokerAnswered = new HashMap<>();
            for (var q : questions.entrySet()) {
                brokerAnswered.put(q.getKey(), answered(q.getValue(), null, brokersDeadline));
            }
            inSync.forEach((tp, ids) -> {
                if (!ids.stream().allMatch(brokerAnswered::get)) {
                    answered.put(tp, false);
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        transactionalIdByTopic
                .keySet()
                .forEach(topic -> out.put(
                        topic,
                        answered.get(new TopicPartition(topic, 0))
                                && answered.getOrDefault(coordinatorOf.get(topic), true)));
        return out;
    }

    /**
     * Whether a question was answered by the deadline. A topic's leader that fails to answer did not answer. The
     * transaction log's leader ({@code tp} in that log) and a broker asked for its configuration ({@code tp} null)
     * did not answer only when the failure is one that passes (no leader, a lost connection, a timeout); a refusal is
     * an answer.
     */
    private static boolean answered(KafkaFuture<?> question, TopicPartition tp, long deadline)
            throws InterruptedException {
        try {
            question.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            boolean refusal = !(e.getCause() instanceof RetriableException);
            return refusal && (tp == null || tp.topic().equals(TRANSACTION_LOG));
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** The brokers in the in-sync set of {@code tp}; none when it cannot be described by the deadline. */
    private static List<Integer> inSyncReplicas(
            KafkaFuture<TopicDescription> description, TopicPartition tp, long deadline) throws InterruptedException {
        if (description == null) {
            return List.of();
        }
        try {
            return description
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    .partitions()
                    .stream()
                    .filter(p -> p.partition() == tp.partition())
                    .flatMap(p -> p.isr().stream())
                    .map(Node::id)
                    .toList();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return List.of(); // the leaders' answers say what can be said
        }
    }

    /** A question only broker {@code id} answers: its own configuration. */
    private KafkaFuture<?> askBroker(int id) {
        var broker = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(id));
        return admin.describeConfigs(List.of(broker), new DescribeConfigsOptions().timeoutMs((int) timeout.toMillis()))
                .all();
    }

    /** The transaction log's partition count, described once; 0 while it cannot be. */
    private int transactionLogPartitions() {
        if (transactionLogPartitions == 0) {
            try {
                transactionLogPartitions = admin.describeTopics(List.of(TRANSACTION_LOG))
                        .allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .get(TRANSACTION_LOG)
                        .partitions()
                        .size();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                if (!toldWhyNoCoordinators) {
                    toldWhyNoCoordinators = true;
                    LOG.info(
                            "cannot describe {} yet ({}): only the topics' leaders are asked, so a dead transaction"
                                    + " coordinator silences its cluster for as long as its failover lasts",
                            TRANSACTION_LOG,
                            e.getCause() == null ? e.toString() : e.getCause().toString());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return transactionLogPartitions;
    }

    private boolean connected() {
        if (admin == null) {
            try {
                admin = Admin.create(config);
            } catch (KafkaException e) {
                LOG.debug("topic probe cannot create an admin client yet: {}", e.getMessage());
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
