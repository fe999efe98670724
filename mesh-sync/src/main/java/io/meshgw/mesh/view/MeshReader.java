package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.ReaderHealth;
import io.meshgw.mesh.kafka.StateReader;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires a {@link StateReader} to a {@link MeshView} and ticks the view's clock-driven decisions.
 * The view is passed in and outlives the reader: when the reader is closed and started again
 * (say, after a broker outage), the view keeps serving its last snapshot and reconciles by mark
 * and sweep as the topics are read again.
 */
public final class MeshReader implements AutoCloseable {

    private final MeshView view;
    private final StateReader reader;
    private final ScheduledExecutorService ticker;

    private MeshReader(MeshView view, StateReader reader, ScheduledExecutorService ticker) {
        this.view = view;
        this.reader = reader;
        this.ticker = ticker;
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
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-view-tick").factory());
        ticker.scheduleAtFixedRate(view::tick, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
        return new MeshReader(view, reader, ticker);
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

    /** The last error that stopped the transport's consumer (it restarts with backoff). */
    public Throwable failure() {
        return reader.failure();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        view.rewindThrough(null);
        reader.close();
    }
}
