package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.testkit.KafkaCluster;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mesh-sync on a three-node KRaft cluster, as enterprises run Kafka, while the broker that leads a cluster's topic is
 * SIGKILLed under a steady publishing load and restarted. The publishers, readers and views are the ones the gateway
 * runs, with the gateway's timings (heartbeat 2 s, unavailable after 10 s, request timeout 15 s) and the production
 * topic replication (three copies, two in sync).
 */
class MeshSyncFailoverIT {

    private static final StateTopics TOPICS = new StateTopics("it-failover.");
    private static final ClusterId EAST = new ClusterId(1, "east");
    private static final ClusterId WEST = new ClusterId(2, "west");
    /** Slices each cluster publishes, updated round-robin. */
    private static final int SLICES = 40;

    private static final Duration UPDATE_EVERY = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** How long west waits for east's heartbeat in the coordinator test: less than any broker failover. */
    private static final Duration PATIENCE = Duration.ofSeconds(6);

    private static KafkaCluster kafka;

    @BeforeAll
    static void startCluster() {
        kafka = KafkaCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        kafka.close();
    }

    @Test
    void killingTheLeaderOfAClustersTopicLosesNoRecordFencesNoPublisherAndKeepsEveryViewConverged() throws Exception {
        String eastTopic = TOPICS.topicOf(EAST);
        try (var east = publisher(EAST);
                var west = publisher(WEST);
                var eastReader = reader(EAST);
                var westReader = reader(WEST)) {
            assertReplicatedAsInProduction(eastTopic);
            ViewWatch westSeesEast = new ViewWatch(EAST.id());
            // The killed node may also be west's transaction coordinator: the readers hold west's silence then too.
            ViewWatch eastSeesWest = new ViewWatch(WEST.id());
            westReader.view().subscribe(westSeesEast);
            eastReader.view().subscribe(eastSeesWest);
            await(() -> westSeesEast.complete() && eastSeesWest.complete(), "both views hold the other cluster");
            long eastEpoch = east.epoch();
            long westEpoch = west.epoch();

            Load eastLoad = Load.start(east, EAST);
            Load westLoad = Load.start(west, WEST);
            sleep(Duration.ofSeconds(4));
            int leader = kafka.leaderOf(eastTopic);
            int updatesBefore = eastLoad.updates();
            kafka.kill(leader);
            int newLeader = kafka.awaitLeaderOtherThan(eastTopic, leader, WAIT);
            sleep(Duration.ofSeconds(3));
            kafka.restart(leader);
            kafka.awaitFullyReplicated(eastTopic, WAIT);
            int updatesWhileDown = eastLoad.updates() - updatesBefore;
            sleep(Duration.ofSeconds(3));
            eastLoad.stop();
            westLoad.stop();

            east.flush(WAIT);
            west.flush(WAIT);
            await(() -> westSeesEast.slices().equals(eastLoad.desired()), "west's view of east converged");
            await(() -> eastSeesWest.slices().equals(westLoad.desired()), "east's view of west converged");

            assertThat(updatesWhileDown).as("updates made around the outage").isGreaterThan(50);
            assertThat(eastLoad.failure()).as("east's updates were all taken").isNull();
            assertThat(westLoad.failure()).as("west's updates were all taken").isNull();
            assertThat(east.fenced()).as("east's publisher fenced").isFalse();
            assertThat(west.fenced()).as("west's publisher fenced").isFalse();
            assertThat(east.epoch()).isEqualTo(eastEpoch);
            assertThat(west.epoch()).isEqualTo(westEpoch);
            assertThat(westSeesEast.violations())
                    .as("west's view of east never lost a slice, went back or dropped the cluster")
                    .isEmpty();
            assertThat(eastSeesWest.violations())
                    .as("east's view of west never lost a slice, went back or dropped the cluster")
                    .isEmpty();
            assertThat(westSeesEast.snapshots())
                    .as("west's view followed east's updates")
                    .isGreaterThan(50);

            // The log itself holds every acknowledged record, not only the running views' memory.
            ViewWatch coldSeesEast = new ViewWatch(EAST.id());
            try (var cold = reader(WEST)) {
                cold.view().subscribe(coldSeesEast);
                await(() -> coldSeesEast.slices().equals(eastLoad.desired()), "a new reader's view of east");
            }
            System.out.printf(
                    "leader %d of %s killed and restarted (new leader %d): %d updates of east around the outage;"
                            + " east %d transactions, %d failed and retried; none lost, none fenced%n",
                    leader, eastTopic, newLeader, updatesWhileDown, east.transactions(), east.failures());
        }
    }

    /**
     * The broker that coordinates east's transactions, and only that, dies: east cannot begin or commit a transaction
     * (so no heartbeat reaches its topic) until the controllers notice and another broker takes the transaction log's
     * partition (9 s and more), longer than west waits for a heartbeat here (6 s, so the failover exceeds it on every
     * run). West asks that coordinator too, so it holds east's silence meanwhile, and east never leaves west's view.
     */
    @Test
    void killingTheTransactionCoordinatorOfAClusterDoesNotTakeItOutOfService() throws Exception {
        StateTopics topics = new StateTopics("it-coordinator.");
        String eastTopic = topics.topicOf(EAST);
        String eastTransactionalId = topics.transactionalIdOf(EAST.id());
        try (var east = publisher(topics, EAST);
                var westReader = reader(topics, WEST, PATIENCE);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            int coordinator = coordinatorOf(admin, eastTransactionalId);
            leadFromAnotherNode(admin, eastTopic, coordinator);
            ViewWatch westSeesEast = new ViewWatch(EAST.id());
            westReader.view().subscribe(westSeesEast);
            await(westSeesEast::complete, "west's view holds east");

            Load eastLoad = Load.start(east, EAST);
            sleep(Duration.ofSeconds(4));
            Duration committedAgainAfter = killUntilCommitsResume(east, coordinator);
            await(() -> coordinatorOf(admin, eastTransactionalId) != coordinator, "east has another coordinator");
            sleep(Duration.ofSeconds(4));
            kafka.restart(coordinator);
            kafka.awaitFullyReplicated(eastTopic, WAIT);
            eastLoad.stop();
            east.flush(WAIT);
            await(() -> westSeesEast.slices().equals(eastLoad.desired()), "west's view of east converged");

            assertThat(committedAgainAfter)
                    .as("east's transactions stopped for longer than west waits for a heartbeat")
                    .isGreaterThan(PATIENCE);
            assertThat(kafka.leaderOf(eastTopic)).as("east's topic leader").isNotEqualTo(coordinator);
            assertStayedInService(east, eastLoad, westSeesEast);
            System.out.printf(
                    "coordinator %d of %s killed: east committed again after %d ms (west waits %d s for a heartbeat)%n",
                    coordinator, eastTransactionalId, committedAgainAfter.toMillis(), PATIENCE.toSeconds());
        }
    }

    /**
     * A broker that neither leads east's topic nor coordinates east's transactions dies. It still follows both
     * partitions, and an {@code acks=all} write waits for every in-sync follower until the controllers fence the dead
     * broker (9 s and more): east cannot commit, so no heartbeat arrives, for longer than west waits for one. West asks
     * the brokers in both in-sync sets too, so it holds east's silence meanwhile.
     */
    @Test
    void killingABrokerThatOnlyFollowsAClustersTopicDoesNotTakeItOutOfService() throws Exception {
        StateTopics topics = new StateTopics("it-follower.");
        String eastTopic = topics.topicOf(EAST);
        String eastTransactionalId = topics.transactionalIdOf(EAST.id());
        try (var east = publisher(topics, EAST);
                var westReader = reader(topics, WEST, PATIENCE);
                Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ViewWatch westSeesEast = new ViewWatch(EAST.id());
            westReader.view().subscribe(westSeesEast);
            await(westSeesEast::complete, "west's view holds east");
            int leader = kafka.leaderOf(eastTopic);
            int coordinator = coordinatorOf(admin, eastTransactionalId);
            int follower = IntStream.rangeClosed(1, KafkaCluster.NODES)
                    .filter(id -> id != leader && id != coordinator)
                    .findFirst()
                    .orElseThrow();
            assertThat(kafka.inSyncReplicas(eastTopic)).contains(follower);

            Load eastLoad = Load.start(east, EAST);
            sleep(Duration.ofSeconds(4));
            Duration committedAgainAfter = killUntilCommitsResume(east, follower);
            sleep(Duration.ofSeconds(2));
            kafka.restart(follower);
            kafka.awaitFullyReplicated(eastTopic, WAIT);
            eastLoad.stop();
            east.flush(WAIT);
            await(() -> westSeesEast.slices().equals(eastLoad.desired()), "west's view of east converged");

            assertThat(committedAgainAfter)
                    .as("east's transactions stopped for longer than west waits for a heartbeat")
                    .isGreaterThan(PATIENCE);
            assertStayedInService(east, eastLoad, westSeesEast);
            System.out.printf(
                    "follower %d of %s killed (leader %d, coordinator %d): east committed again after %d ms%n",
                    follower, eastTopic, leader, coordinator, committedAgainAfter.toMillis());
        }
    }

    /** Kills {@code node} and waits until east commits twice more; returns how long its transactions stopped. */
    private static Duration killUntilCommitsResume(ClusterPublisher east, int node) {
        long committedBefore = east.transactions();
        long killedAt = System.nanoTime();
        kafka.kill(node);
        await(() -> east.transactions() > committedBefore + 1, "east commits again");
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** East lost no update and was not fenced, and west's view of it never lost a slice or took it out of service. */
    private static void assertStayedInService(ClusterPublisher east, Load eastLoad, ViewWatch westSeesEast) {
        assertThat(eastLoad.failure()).as("east's updates were all taken").isNull();
        assertThat(east.fenced()).as("east's publisher fenced").isFalse();
        assertThat(westSeesEast.violations())
                .as("west's view of east never lost a slice, went back or took east out of service")
                .isEmpty();
    }

    /** The node that coordinates a transactional id now, as the brokers say (the test may describe any id). */
    private static int coordinatorOf(Admin admin, String transactionalId) {
        try {
            return admin.describeTransactions(List.of(transactionalId))
                    .description(transactionalId)
                    .get(30, TimeUnit.SECONDS)
                    .coordinatorId();
        } catch (Exception e) {
            return -1; // no coordinator answers now
        }
    }

    /** Makes a node other than {@code avoid} lead partition 0 of {@code topic}: same replicas, another preferred. */
    private static void leadFromAnotherNode(Admin admin, String topic, int avoid) throws Exception {
        if (kafka.leaderOf(topic) != avoid) {
            return;
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        List<Integer> replicas = new ArrayList<>(admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic)
                .partitions()
                .getFirst()
                .replicas()
                .stream()
                .map(Node::id)
                .toList());
        replicas.remove(Integer.valueOf(avoid));
        replicas.add(avoid);
        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(replicas))))
                .all()
                .get(30, TimeUnit.SECONDS);
        await(
                () -> {
                    try {
                        admin.electLeaders(ElectionType.PREFERRED, Set.of(tp))
                                .all()
                                .get(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        // not yet: the reassignment is still completing
                    }
                    return kafka.leaderOf(topic) != avoid;
                },
                "another leader of " + topic);
    }

    private static void assertReplicatedAsInProduction(String topic) throws Exception {
        assertThat(kafka.inSyncReplicas(topic)).containsExactlyInAnyOrder(1, 2, 3);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(res))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(res);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
        }
    }

    /** What the gateway's MeshService passes: its request timeout and heartbeat interval. */
    private static ClusterPublisher publisher(ClusterId cluster) {
        return publisher(TOPICS, cluster);
    }

    private static ClusterPublisher publisher(StateTopics topics, ClusterId cluster) {
        List<StateValue> initial = new ArrayList<>();
        initial.add(
                new ServiceExport("default", "web", List.of(ServicePort.tcp("http", 80)), Map.of(), Optional.empty()));
        for (int k = 0; k < SLICES; k++) {
            initial.add(slice(cluster, k, 0));
        }
        return ClusterPublisher.openOnKafka(
                settings("pub-" + cluster.name()),
                PublisherOptions.defaults(cluster).withTopics(topics).withHeartbeatInterval(Duration.ofSeconds(2)),
                TopicReplication.production(),
                initial);
    }

    /** A reader of every other cluster, as the gateway starts it (unavailable after 10 s). */
    private static MeshReader reader(ClusterId local) {
        return reader(TOPICS, local);
    }

    private static MeshReader reader(StateTopics topics, ClusterId local) {
        return reader(topics, local, Duration.ofSeconds(10));
    }

    private static MeshReader reader(StateTopics topics, ClusterId local, Duration unavailableAfter) {
        ViewOptions vo = new ViewOptions(topics, local.id(), unavailableAfter, Duration.ofDays(1), Clock.systemUTC());
        return MeshReader.start(
                settings("view-" + local.name()), vo, new MeshView(vo), Duration.ofSeconds(5), Duration.ofMillis(500));
    }

    private static KafkaSettings settings(String clientId) {
        return new KafkaSettings(kafka.bootstrapServers(), Map.of(), clientId, Duration.ofSeconds(15));
    }

    /** Slice {@code index} of {@code cluster} at update {@code seq}, which its first endpoint's zone carries. */
    static EndpointSlice slice(ClusterId cluster, int index, int seq) {
        Endpoint e = new Endpoint(
                List.of(StateSamples.ip("10." + cluster.id() + ".0." + (index + 1))),
                true,
                true,
                false,
                Optional.of("u" + seq),
                Optional.empty());
        return new EndpointSlice(
                "default", "web", "web-" + index, cluster.id(), List.of(ServicePort.tcp("http", 8080)), List.of(e));
    }

    static int seqOf(EndpointSlice s) {
        return Integer.parseInt(s.endpoints().getFirst().zone().orElseThrow().substring(1));
    }

    /** Updates a publisher's slices round-robin at a steady rate, keeping what it asked for. */
    private static final class Load {
        private final ClusterPublisher publisher;
        private final ClusterId cluster;
        private final Map<EndpointSliceKey, EndpointSlice> desired = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private volatile RuntimeException failure;
        private volatile int updates;

        private Load(ClusterPublisher publisher, ClusterId cluster) {
            this.publisher = publisher;
            this.cluster = cluster;
            for (int k = 0; k < SLICES; k++) {
                EndpointSlice s = slice(cluster, k, 0);
                desired.put(s.key(), s);
            }
            this.thread = Thread.ofPlatform().name("load-" + cluster.name()).unstarted(this::run);
        }

        static Load start(ClusterPublisher publisher, ClusterId cluster) {
            Load l = new Load(publisher, cluster);
            l.thread.start();
            return l;
        }

        private void run() {
            long next = System.nanoTime();
            for (int seq = 1; running; seq++) {
                EndpointSlice s = slice(cluster, seq % SLICES, seq);
                try {
                    publisher.put(s); // throws once the publisher is fenced or stopped
                } catch (RuntimeException e) {
                    failure = e;
                    return;
                }
                desired.put(s.key(), s);
                updates = seq;
                next += UPDATE_EVERY.toNanos();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(Duration.ofNanos(wait));
                }
            }
        }

        int updates() {
            return updates;
        }

        Map<EndpointSliceKey, EndpointSlice> desired() {
            return Map.copyOf(desired);
        }

        RuntimeException failure() {
            return failure;
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(WAIT.toMillis());
        }
    }

    /**
     * Checks every snapshot a view delivers, once it first held the whole cluster: the cluster stays synced and
     * available, no slice it had disappears, and no slice goes back to an older update.
     */
    private static final class ViewWatch implements Consumer<MeshSnapshot> {
        private final int cluster;
        private final Map<EndpointSliceKey, Integer> newest = new HashMap<>();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private volatile Map<EndpointSliceKey, EndpointSlice> slices = Map.of();
        private boolean complete;
        private int snapshots;

        ViewWatch(int cluster) {
            this.cluster = cluster;
        }

        @Override
        public synchronized void accept(MeshSnapshot s) {
            ClusterView c = s.clusters().get(cluster);
            if (!complete) {
                if (c == null || !c.status().available() || c.slices().size() < SLICES) {
                    return;
                }
                complete = true;
            }
            snapshots++;
            if (c == null) {
                violation("snapshot " + s.version() + " has no cluster " + cluster);
                return;
            }
            if (!c.status().synced() || !c.status().available()) {
                violation("snapshot " + s.version() + ": cluster " + cluster + " " + c.status());
            }
            for (EndpointSliceKey had : newest.keySet()) {
                if (!c.slices().containsKey(had)) {
                    violation("snapshot " + s.version() + " lost " + had.format());
                }
            }
            for (EndpointSlice slice : c.slices().values()) {
                int seq = seqOf(slice);
                Integer was = newest.put(slice.key(), seq);
                if (was != null && seq < was) {
                    violation("snapshot " + s.version() + ": " + slice.key().format() + " went back from update " + was
                            + " to " + seq);
                }
            }
            slices = c.slices();
        }

        private void violation(String what) {
            if (violations.size() < 20) {
                violations.add(what);
            }
        }

        synchronized boolean complete() {
            return complete;
        }

        synchronized int snapshots() {
            return snapshots;
        }

        List<String> violations() {
            return List.copyOf(violations);
        }

        Map<EndpointSliceKey, EndpointSlice> slices() {
            return slices;
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
