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
 */
public record KafkaBrokerOptions(
        String host, Duration startTimeout, String maxHeap, String logLevel, Map<String, String> extraConfig) {

    public KafkaBrokerOptions {
        extraConfig = Map.copyOf(extraConfig);
    }

    public static KafkaBrokerOptions defaults() {
        return new KafkaBrokerOptions("127.0.0.1", Duration.ofSeconds(90), "768m", "warn", Map.of());
    }

    /** Listens on {@code h} instead of loopback, e.g. an address network namespaces can reach. */
    public KafkaBrokerOptions withHost(String h) {
        return new KafkaBrokerOptions(h, startTimeout, maxHeap, logLevel, extraConfig);
    }

    public KafkaBrokerOptions withConfig(String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(extraConfig);
        m.put(key, value);
        return new KafkaBrokerOptions(host, startTimeout, maxHeap, logLevel, m);
    }

    /** A single-node KRaft broker+controller sized for tests: replication factor 1 everywhere. */
    static Map<String, String> baseConfig(String host, int port, int controllerPort, Path dataDir) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", "1");
        c.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        c.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        c.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("log.dirs", dataDir.toString());
        c.put("num.partitions", "1");
        // Topics are created explicitly by their owners (mesh-sync), as in production.
        c.put("auto.create.topics.enable", "false");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        return c;
    }
}
