package io.meshgw.mesh.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.StateSamples;
import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.mesh.wire.ValueCodec;
import io.meshgw.testkit.KafkaBroker;
import io.meshgw.testkit.KafkaBrokerOptions;
import io.meshgw.types.ClusterId;
import io.meshgw.types.ServicePort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The secure set-up of docs/install.md against a real broker with SCRAM-SHA-512 logins and the StandardAuthorizer: one
 * principal per cluster with {@link StateTopicAcls}. A cluster can write its own topic and not another's, and a reader
 * refused a topic reports it and reads on.
 */
class StateTopicAuthorizationIT {

    static final StateTopics TOPICS = new StateTopics("it-acl.");
    static final ClusterId WEST = new ClusterId(2, "west");
    static final ClusterId EAST = new ClusterId(3, "east");
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(KafkaBrokerOptions.defaults().withScram());
        for (ClusterId c : List.of(WEST, EAST)) {
            broker.addScramUser("meshgw-" + c.name(), c.name() + "-secret");
            broker.createAcls(StateTopicAcls.forCluster(TOPICS, c, "User:meshgw-" + c.name()));
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    static KafkaSettings loginAs(ClusterId c) {
        return new KafkaSettings(
                broker.saslBootstrapServers(),
                KafkaBroker.clientLogin("meshgw-" + c.name(), c.name() + "-secret"),
                "meshgw-" + c.name(),
                Duration.ofSeconds(10));
    }

    static ClusterPublisher publish(ClusterId c) {
        var options = PublisherOptions.defaults(c).withTopics(TOPICS).withHeartbeatInterval(Duration.ofMillis(500));
        return ClusterPublisher.openOnKafka(loginAs(c), options, TopicReplication.of(1), List.of());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void aClusterPrincipalWritesItsOwnTopicButNeverAnotherClustersTopic() throws Exception {
        try (var west = publish(WEST);
                var east = publish(EAST)) {
            assertThat(west.epoch()).as("west publishes its own topic").isPositive();

            Map<String, Object> conf = new HashMap<>(loginAs(WEST).clientProperties());
            conf.put("bootstrap.servers", broker.saslBootstrapServers());
            conf.put("max.block.ms", 10_000);
            byte[] forged = ValueCodec.encode(EAST.id(), new Heartbeat(Instant.now(), "east"));
            var record = new ProducerRecord<>(TOPICS.topicOf(EAST), 0, "meta/heartbeat", forged);
            RecordHeaders.v1(EAST.id(), 1, 1)
                    .toKafka()
                    .forEach((k, v) -> record.headers().add(new RecordHeader(k, v)));
            try (var producer = new KafkaProducer<>(conf, new StringSerializer(), new ByteArraySerializer())) {
                assertThatThrownBy(() -> producer.send(record).get())
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            assertThatThrownBy(() -> StatePublisher.open(loginAs(WEST), TOPICS.topicOf(EAST), TOPICS.topicOf(EAST)))
                    .as("nor may it take over east's transactional id")
                    .hasRootCauseInstanceOf(TransactionalIdAuthorizationException.class);
        }
    }

    @Test
    void aReaderRefusedOneClustersTopicReportsItReadsTheOthersAndRecoversWhenAllowedAgain() throws Exception {
        AclBinding denyEast = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, TOPICS.topicOf(EAST), PatternType.LITERAL),
                new AccessControlEntry("User:meshgw-west", "*", AclOperation.READ, AclPermissionType.DENY));
        var vo = new ViewOptions(TOPICS, WEST.id(), Duration.ofSeconds(30), Duration.ofHours(1), Clock.systemUTC());
        var view = new MeshView(vo);
        var north = new ClusterId(4, "north");
        broker.addScramUser("meshgw-north", "north-secret");
        broker.createAcls(StateTopicAcls.forCluster(TOPICS, north, "User:meshgw-north"));
        try (var east = publish(EAST);
                var northPublisher = ClusterPublisher.openOnKafka(
                        new KafkaSettings(
                                broker.saslBootstrapServers(),
                                KafkaBroker.clientLogin("meshgw-north", "north-secret"),
                                "meshgw-north",
                                Duration.ofSeconds(10)),
                        PublisherOptions.defaults(north)
                                .withTopics(TOPICS)
                                .withHeartbeatInterval(Duration.ofMillis(500)),
                        TopicReplication.of(1),
                        List.of(new EndpointSlice(
                                "default",
                                "web",
                                "a",
                                4,
                                List.of(ServicePort.tcp("http", 80)),
                                List.of(Endpoint.ready(StateSamples.ip("10.4.0.1"))))));
                var reader =
                        MeshReader.start(loginAs(WEST), vo, view, Duration.ofMillis(500), Duration.ofMillis(200))) {
            await(() -> view.snapshot().synced() && view.snapshot().clusters().size() >= 2, "both clusters read");

            broker.createAcls(List.of(denyEast));
            await(() -> reader.health().unreadable().containsKey(TOPICS.topicOf(EAST)), "east reported unreadable");
            ClusterMetrics eastMetrics = reader.metrics().clusters().get(EAST.id());
            assertThat(eastMetrics.synced()).isFalse();
            assertThat(eastMetrics.readProblem())
                    .hasValueSatisfying(p -> assertThat(p).contains("not authorised"));
            assertThat(reader.metrics().clusters().get(north.id()).synced())
                    .as("north is still read")
                    .isTrue();
            assertThat(reader.health().restarts())
                    .as("the reader never stopped")
                    .isZero();

            broker.deleteAcls(List.of(denyEast.toFilter()));
            await(
                    () -> reader.health().unreadable().isEmpty()
                            && reader.metrics().clusters().get(EAST.id()).synced(),
                    "east read again");
            assertThat(reader.metrics().clusters().get(EAST.id()).readProblem()).isEmpty();
        }
    }
}
