package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the best-path changes made while the speaker's thread works through its queue and
 * sends them to every neighbor's Adj-RIB-Out once that work is done: a prefix that changes many
 * times in one batch costs one UPDATE.
 */
final class Propagation {

    private static final Logger LOG = LoggerFactory.getLogger(Propagation.class);

    private final Executor later;
    private final Consumer<List<AdjRibOut.Change>> neighbors;
    private final Map<Prefix, AdjRibOut.Change> pendingRoutes = new LinkedHashMap<>();
    private final List<Consumer<BestPathChange<Prefix, RouteAttributes>>> listeners = new ArrayList<>();
    private boolean flushScheduled;

    /**
     * @param later runs the flush on the speaker's thread after the work queued before it
     * @param neighbors sends a batch of changes to every neighbor
     */
    Propagation(Executor later, Consumer<List<AdjRibOut.Change>> neighbors) {
        this.later = later;
        this.neighbors = neighbors;
    }

    void subscribe(Consumer<BestPathChange<Prefix, RouteAttributes>> listener) {
        listeners.add(listener);
    }

    /** Queues a best-path change, coalesced per prefix: the first "before", the last "now". */
    void bestPathChanged(BestPathChange<Prefix, RouteAttributes> change) {
        pendingRoutes.merge(
                change.destination(),
                new AdjRibOut.Change(change.destination(), change.before(), change.now()),
                (old, neu) -> new AdjRibOut.Change(old.prefix(), old.before(), neu.now()));
        if (!flushScheduled) {
            flushScheduled = true;
            later.execute(this::flush);
        }
        for (var l : listeners) {
            try {
                l.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("best-path listener failed: {}", e.toString());
            }
        }
    }

    private void flush() {
        flushScheduled = false;
        if (pendingRoutes.isEmpty()) {
            return;
        }
        List<AdjRibOut.Change> batch = new ArrayList<>(pendingRoutes.values());
        pendingRoutes.clear();
        neighbors.accept(batch);
    }
}
