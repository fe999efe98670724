package io.meshgw.mesh.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the leader of each state topic for its end offset, to tell a topic that cannot be read now from a cluster that
 * is silent. After a broker dies, the partitions it led have a leader that does not answer until the controllers
 * notice ({@code broker.session.timeout.ms}, 9 s by default) and elect another: longer than a reader may wait for a
 * heartbeat before it takes the cluster's endpoints out of service. The cluster is not silent then; its log is.
 */
public final class TopicProbe implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicProbe.class);

    private final Map<String, Object> config;
    private final Duration timeout;
    private Admin admin;

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
     * Whether the leader of partition 0 of each topic answered within the timeout. Empty when the probe cannot run at
     * all (no admin client yet): it then says nothing, rather than that every topic is unreadable.
     */
    public synchronized Map<String, Boolean> answering(Collection<String> topics) {
        Map<String, Boolean> out = new HashMap<>();
        if (topics.isEmpty() || !connected()) {
            return out;
        }
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        topics.forEach(t -> ask.put(new TopicPartition(t, 0), OffsetSpec.latest()));
        var result = admin.listOffsets(ask, new ListOffsetsOptions().timeoutMs((int) timeout.toMillis()));
        long deadline = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (TopicPartition tp : ask.keySet()) {
            try {
                result.partitionResult(tp).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                out.put(tp.topic(), true);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                out.put(tp.topic(), false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            }
        }
        return out;
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
