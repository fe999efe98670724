package io.meshgw.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * Three real Kafka brokers as one KRaft cluster, as enterprises run Kafka: each node is a broker and a controller
 * (combined mode) of a three-voter quorum, a child process on its own loopback ports. Topics keep three copies and an
 * {@code acks=all} write needs two ({@code min.insync.replicas=2}), the internal transaction and offset topics
 * included, so any one node may die without losing an acknowledged record or stopping writers.
 *
 * <p>Failover tests {@linkplain #kill kill} a node with SIGKILL (say, {@linkplain #leaderOf the leader} of a topic),
 * {@linkplain #restart restart} it on the same ports with its data, and {@linkplain #awaitFullyReplicated wait} until
 * it caught up. {@link #close()} stops every node and deletes their data.
 */
public final class KafkaCluster implements AutoCloseable {

    /** Nodes in the quorum: the smallest that survives losing one. */
    public static final int NODES = 3;

    private final List<KafkaBroker> nodes;

    private KafkaCluster(List<KafkaBroker> nodes) {
        this.nodes = nodes;
    }

    /** Starts three nodes, each with a smaller heap than a lone broker's, and waits until all serve clients. */
    public static KafkaCluster start() {
        return start(KafkaBrokerOptions.defaults().withMaxHeap("512m"));
    }

    /**
     * Starts three nodes with {@code options} each and waits until every one is a registered, live broker; throws with
     * the failing node's log tail if one is not within {@code options.startTimeout()}.
     */
    public static KafkaCluster start(KafkaBrokerOptions options) {
        List<KafkaBroker.Listeners> listeners = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            listeners.add(KafkaBroker.Listeners.free());
        }
        List<Integer> controllerPorts =
                listeners.stream().map(KafkaBroker.Listeners::controllerPort).toList();
        String clusterId = Uuid.randomUuid().toString();
        List<KafkaBroker> nodes = new ArrayList<>();
        KafkaCluster cluster = new KafkaCluster(nodes);
        try {
            for (int i = 0; i < NODES; i++) {
                KraftNode node = KraftNode.of(i + 1, options.host(), controllerPorts);
                nodes.add(KafkaBroker.prepare(options, node, listeners.get(i), clusterId));
            }
            // A node cannot be ready before a majority of the quorum runs: start all, then wait for each.
            nodes.forEach(KafkaBroker::spawn);
            nodes.forEach(KafkaBroker::awaitReady);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Every node's address: clients find the live ones. */
    public String bootstrapServers() {
        return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
    }

    /** The node with {@code node.id} {@code nodeId}, 1 to {@value #NODES}. */
    public KafkaBroker node(int nodeId) {
        if (nodeId < 1 || nodeId > nodes.size()) {
            throw new IllegalArgumentException("this cluster has nodes 1 to " + nodes.size() + ", not " + nodeId);
        }
        return nodes.get(nodeId - 1);
    }

    public List<KafkaBroker> nodes() {
        return List.copyOf(nodes);
    }

    /** SIGKILLs node {@code nodeId}; see {@link KafkaBroker#kill}. */
    public void kill(int nodeId) {
        node(nodeId).kill();
    }

    /** Starts node {@code nodeId} again with its data and waits until it is a live broker again. */
    public void restart(int nodeId) {
        node(nodeId).restart();
    }

    /** The node that leads partition 0 of {@code topic} now; throws if it has none (all its replicas are down). */
    public int leaderOf(String topic) {
        TopicPartitionInfo p = partition0(topic);
        Node leader = p.leader();
        if (leader == null || leader.isEmpty()) {
            throw new IllegalStateException("partition 0 of " + topic + " has no leader; replicas " + ids(p.replicas())
                    + ", in sync " + ids(p.isr()));
        }
        return leader.id();
    }

    /**
     * Waits until partition 0 of {@code topic} is led by a node other than {@code from} and returns it. After a SIGKILL
     * that takes the controllers {@code broker.session.timeout.ms} (9 s by default) to notice, plus an election when
     * the killed node was the active controller.
     */
    public int awaitLeaderOtherThan(String topic, int from, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "leader " + from;
        while (System.nanoTime() < deadline) {
            try {
                int leader = leaderOf(topic);
                if (leader != from) {
                    return leader;
                }
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            KafkaBroker.sleep(Duration.ofMillis(100));
        }
        throw new IllegalStateException(
                "partition 0 of " + topic + " has no new leader after " + timeout + ": " + last);
    }

    /** The nodes in sync for partition 0 of {@code topic}. */
    public Set<Integer> inSyncReplicas(String topic) {
        return ids(partition0(topic).isr());
    }

    /**
     * Waits until every replica of partition 0 of {@code topic} is in sync again (a restarted node caught up) and the
     * partition has a leader; throws with the replicas' state if not within {@code timeout}.
     */
    public void awaitFullyReplicated(String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "not described yet";
        while (System.nanoTime() < deadline) {
            try {
                TopicPartitionInfo p = partition0(topic);
                if (p.leader() != null && !p.leader().isEmpty() && ids(p.isr()).equals(ids(p.replicas()))) {
                    return;
                }
                last = "leader " + p.leader() + ", replicas " + ids(p.replicas()) + ", in sync " + ids(p.isr());
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            KafkaBroker.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException(topic + " is not fully replicated after " + timeout + ": " + last);
    }

    private TopicPartitionInfo partition0(String topic) {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(conf)) {
            TopicDescription d = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().getFirst();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        }
    }

    private static Set<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toSet());
    }

    /**
     * Stops every node and deletes their data. The nodes stop together (SIGTERM, then SIGKILL after a grace period):
     * one after another, the last would wait for a quorum that is already gone.
     */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        List<Thread> stopping = nodes.stream()
                .map(n -> Thread.ofPlatform()
                        .name("kafka-node-" + n.nodeId() + "-stop")
                        .start(() -> {
                            try {
                                n.close();
                            } catch (RuntimeException e) {
                                synchronized (failures) {
                                    failures.add(e);
                                }
                            }
                        }))
                .toList();
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the Kafka cluster", e);
            }
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }
}
