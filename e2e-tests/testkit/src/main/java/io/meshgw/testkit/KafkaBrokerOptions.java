package io.meshgw.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to run a {@link KafkaBroker}.
 *
 * @param host loopback address the listeners bind to
 * @param startTimeout how long to wait for the broker to accept clients
 * @param maxHeap the broker JVM's {@code -Xmx}
 * @param logLevel the broker's log level (slf4j-simple), written to its {@code broker.log}
 * @param extraConfig broker properties that override the defaults (e.g. log cleaner timings)
 * @param scram whether the broker also has a SASL_PLAINTEXT listener with SCRAM-SHA-512 and an authorizer
 *     (StandardAuthorizer): clients there are who they log in as, and may do only what ACLs allow
 */
public record KafkaBrokerOptions(
        String host,
        Duration startTimeout,
        String maxHeap,
        String logLevel,
        Map<String, String> extraConfig,
        boolean scram) {

    public KafkaBrokerOptions {
        extraConfig = Map.copyOf(extraConfig);
    }

    public static KafkaBrokerOptions defaults() {
        return new KafkaBrokerOptions("127.0.0.1", Duration.ofSeconds(90), "768m", "warn", Map.of(), false);
    }

    /** Listens on {@code h} instead of loopback, e.g. an address network namespaces can reach. */
    public KafkaBrokerOptions withHost(String h) {
        return new KafkaBrokerOptions(h, startTimeout, maxHeap, logLevel, extraConfig, scram);
    }

    /** The broker JVM's {@code -Xmx}, e.g. smaller for the three JVMs of a {@link KafkaCluster}. */
    public KafkaBrokerOptions withMaxHeap(String heap) {
        return new KafkaBrokerOptions(host, startTimeout, heap, logLevel, extraConfig, scram);
    }

    public KafkaBrokerOptions withConfig(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(extraConfig);
        m.put(key, value);
        return new KafkaBrokerOptions(host, startTimeout, maxHeap, logLevel, m, scram);
    }

    /**
     * Adds a SASL_PLAINTEXT listener (SCRAM-SHA-512) and turns the authorizer on, as a production mesh broker runs.
     * The PLAINTEXT listener stays for the test's own set-up (users, ACLs, inspection): its anonymous principal is a
     * super user, so only the SASL listener shows what a cluster's principal may do.
     */
    public KafkaBrokerOptions withScram() {
        return new KafkaBrokerOptions(host, startTimeout, maxHeap, logLevel, extraConfig, true);
    }

    /** What {@link #withScram} adds to {@link #baseConfig}. */
    static Map<String, String> scramConfig(String host, int port, int saslPort, int controllerPort) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put(
                "listeners",
                "PLAINTEXT://" + host + ":" + port + ",SASL_PLAINTEXT://" + host + ":" + saslPort + ",CONTROLLER://"
                        + host + ":" + controllerPort);
        c.put(
                "advertised.listeners",
                "PLAINTEXT://" + host + ":" + port + ",SASL_PLAINTEXT://" + host + ":" + saslPort);
        c.put(
                "listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        c.put(
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        c.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // The set-up listener and the controller's own connections; never a cluster's principal.
        c.put("super.users", "User:ANONYMOUS");
        c.put("allow.everyone.if.no.acl.found", "false");
        return c;
    }

    /**
     * A KRaft broker+controller sized for tests, as {@code node} of its quorum: a single node keeps one copy of
     * everything; a node of three keeps three, and an {@code acks=all} write needs two of them.
     */
    static Map<String, String> baseConfig(String host, int port, int controllerPort, Path dataDir, KraftNode node) {
        String replicas = Integer.toString(node.replicas());
        String minIsr = Integer.toString(node.minInsyncReplicas());
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(node.nodeId()));
        c.put("controller.quorum.voters", node.voters());
        c.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("log.dirs", dataDir.toString());
        c.put("num.partitions", "1");
        // Topics are created explicitly by their owners (mesh-sync), as in production.
        c.put("auto.create.topics.enable", "false");
        c.put("default.replication.factor", replicas);
        c.put("min.insync.replicas", minIsr);
        c.put("offsets.topic.replication.factor", replicas);
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", replicas);
        c.put("transaction.state.log.min.isr", minIsr);
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", replicas);
        c.put("share.coordinator.state.topic.min.isr", minIsr);
        c.put("group.initial.rebalance.delay.ms", "0");
        return c;
    }
}
