package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.ReaderHealth;
import io.meshgw.mesh.kafka.StateReader;
import io.meshgw.mesh.kafka.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a {@link StateReader} to a {@link MeshView} and ticks the view's clock-driven decisions.
 * The view is passed in and outlives the reader: when the reader is closed and started again
 * (say, after a broker outage), the view keeps serving its last snapshot and reconciles by mark
 * and sweep as the topics are read again. It also asks the leader of each known cluster's topic, and
 * its publisher's transaction coordinator, whether they answer ({@link TopicProbe}): while a broker
 * fails over, its clusters' silence is not theirs ({@link MeshView#topicReachability}).
 */
public final class MeshReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MeshReader.class);

    private final MeshView view;
    private final StateReader reader;
    private final ScheduledExecutorService ticker;
    private final Duration tick;
    /** When the view was last ticked (System.nanoTime). */
    private volatile long lastTick = System.nanoTime();

    private final TopicProbe probe;
    private final ScheduledExecutorService prober;

    private MeshReader(
            MeshView view, StateReader reader, Duration tick, TopicProbe probe, ScheduledExecutorService prober) {
        this.view = view;
        this.reader = reader;
        this.tick = tick;
        this.probe = probe;
        this.prober = prober;
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-view-tick").factory());
        ticker.scheduleAtFixedRate(this::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One judgement of the heartbeats. An exception would cancel every later tick, so it is logged instead. */
    private void tick() {
        lastTick = System.nanoTime();
        try {
            view.tick();
        } catch (RuntimeException e) {
            LOG.error("judging the clusters' heartbeats failed; trying again at the next tick", e);
        }
    }

    /**
     * Starts reading every state topic into {@code view}.
     *
     * @param topicRefresh how often new clusters' topics are looked for
     * @param tick how often heartbeat ages are judged; a fraction of {@code unavailableAfter}
     */
    public static MeshReader start(
            KafkaSettings settings, ViewOptions options, MeshView view, Duration topicRefresh, Duration tick) {
        StateReader reader = StateReader.start(
                settings, options.topics().patternExcluding(options.localCluster()), topicRefresh, view);
        view.rewindThrough(reader::rewind);
        // A tenth of the time a cluster may be silent: the hold starts well before the cluster would be judged.
        Duration probeEvery =
                clamp(options.unavailableAfter().dividedBy(10), Duration.ofMillis(200), Duration.ofSeconds(1));
        TopicProbe probe = TopicProbe.of(settings, probeEvery);
        ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-topic-probe").factory());
        prober.scheduleWithFixedDelay(
                () -> probe(view, probe, options), probeEvery.toMillis(), probeEvery.toMillis(), TimeUnit.MILLISECONDS);
        return new MeshReader(view, reader, tick, probe, prober);
    }

    /** Tells the view which clusters' topics have a leader that answers now. */
    private static void probe(MeshView view, TopicProbe probe, ViewOptions options) {
        try {
            Map<String, Integer> clusterOf = new HashMap<>();
            Map<String, String> transactionalIdOf = new HashMap<>();
            view.snapshot().clusters().keySet().forEach(id -> {
                clusterOf.put(options.topics().topicOf(id), id);
                transactionalIdOf.put(
                        options.topics().topicOf(id), options.topics().transactionalIdOf(id));
            });
            Instant asked = options.clock().instant();
            Map<Integer, Boolean> answering = new HashMap<>();
            probe.answering(transactionalIdOf).forEach((topic, ok) -> answering.put(clusterOf.get(topic), ok));
            view.topicReachability(answering, asked);
        } catch (RuntimeException e) {
            // Never let one failed probe end the schedule; the next one asks again.
            LOG.warn("probing the mesh's topics failed: {}", e.toString());
        }
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    public MeshView view() {
        return view;
    }

    /** The view's figures with the transport's lag per topic. */
    public MeshMetrics metrics() {
        return view.metrics(reader.lag()).withReader(reader.health());
    }

    /** Whether the transport reads now, and why not. */
    public ReaderHealth health() {
        return reader.health();
    }

    /**
     * Why reading stopped for good, if it did: the transport's thread ended or is stuck ({@link
     * StateReader#stalled}), or the heartbeats have not been judged for ten ticks and a second. A
     * consumer being replaced is not this: see {@link #health}.
     */
    public Optional<String> stalled() {
        Optional<String> transport = reader.stalled();
        if (transport.isPresent() || ticker.isShutdown()) {
            return transport;
        }
        long idle = System.nanoTime() - lastTick;
        Duration bound = tick.multipliedBy(10).plusSeconds(1);
        return idle > bound.toNanos()
                ? Optional.of("the clusters' heartbeats have not been judged for "
                        + Duration.ofNanos(idle).toMillis() + " ms (bound " + bound.toMillis() + " ms)")
                : Optional.empty();
    }

    /** The last error that stopped the transport's consumer (it restarts with backoff). */
    public Throwable failure() {
        return reader.failure();
    }

    @Override
    public void close() {
        prober.shutdownNow();
        probe.close();
        ticker.shutdownNow();
        view.rewindThrough(null);
        reader.close();
    }
}
