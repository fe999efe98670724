package io.meshgw.bgp.speaker;

import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.rib.DestinationTable;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects what changed while the speaker's thread works through its queue (best paths, session
 * states) and passes it on once that work is done: best-path changes to every neighbor's
 * Adj-RIB-Out, then everything to the {@link SpeakerListener}s. A prefix that changes many times
 * in one batch costs one UPDATE and one event.
 */
final class Propagation {

    private static final Logger LOG = LoggerFactory.getLogger(Propagation.class);

    private final Executor later;
    private final Consumer<List<AdjRibOut.Change>> neighbors;
    private final IntFunction<String> peerNames;
    /** Best-path changes of the batch in the order their prefixes first changed, one per prefix. */
    private final List<AdjRibOut.Change> pendingRoutes = new ArrayList<>();
    /** Where each prefix's change is in {@link #pendingRoutes}. */
    private DestinationTable<Prefix, Integer> pendingIndex = new DestinationTable<>(Ipv4PrefixPacking.INSTANCE);

    private final List<PeerStatus> pendingSessions = new ArrayList<>();
    private final List<SpeakerListener> listeners = new ArrayList<>();
    private final List<MultipathListener> multipathListeners = new ArrayList<>();
    private final Set<Prefix> pendingPaths = new LinkedHashSet<>();
    private Function<Prefix, MultipathChange> multipath = p -> new MultipathChange(p, List.of());
    private boolean flushScheduled;

    /**
     * @param later runs the flush on the speaker's thread after the work queued before it
     * @param neighbors sends a batch of changes to every neighbor
     * @param peerNames the name of the peer with a Loc-RIB index, for the listeners
     */
    Propagation(Executor later, Consumer<List<AdjRibOut.Change>> neighbors, IntFunction<String> peerNames) {
        this.later = later;
        this.neighbors = neighbors;
        this.peerNames = peerNames;
    }

    void subscribe(SpeakerListener listener) {
        listeners.add(listener);
    }

    /**
     * Registers {@code listener} and gives it {@code all} (every prefix's paths now) as its first call; from then on
     * the prefixes whose paths {@link #pathsChanged} reports, looked up with {@code lookup} at the flush.
     */
    void subscribe(MultipathListener listener, Function<Prefix, MultipathChange> lookup, List<MultipathChange> all) {
        multipath = lookup;
        multipathListeners.add(listener);
        try {
            listener.multipathChanged(List.copyOf(all));
        } catch (RuntimeException e) {
            LOG.warn("multipath listener {} failed: {}", listener, e.toString());
        }
    }

    /** The paths of {@code prefix} changed (perhaps not its best): multipath listeners hear of it at the flush. */
    void pathsChanged(Prefix prefix) {
        if (!multipathListeners.isEmpty()) {
            pendingPaths.add(prefix);
            scheduleFlush();
        }
    }

    /** Queues a best-path change, coalesced per prefix: the first "before", the last "now". */
    void bestPathChanged(BestPathChange<Prefix, RouteAttributes> change) {
        Integer at = pendingIndex.get(change.destination());
        if (at == null) {
            pendingIndex.put(change.destination(), pendingRoutes.size());
            pendingRoutes.add(new AdjRibOut.Change(change.destination(), change.before(), change.now()));
        } else {
            AdjRibOut.Change old = pendingRoutes.get(at);
            pendingRoutes.set(at, new AdjRibOut.Change(old.prefix(), old.before(), change.now()));
        }
        scheduleFlush();
    }

    void sessionChanged(PeerStatus status) {
        pendingSessions.add(status);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            later.execute(this::flush);
        }
    }

    /** Passes on what is queued now, so what comes next is told apart from it; the flush already scheduled finds none. */
    void flush() {
        flushScheduled = false;
        List<AdjRibOut.Change> routes = new ArrayList<>(pendingRoutes);
        List<PeerStatus> sessions = new ArrayList<>(pendingSessions);
        pendingRoutes.clear();
        if (!pendingIndex.isEmpty()) {
            pendingIndex = new DestinationTable<>(Ipv4PrefixPacking.INSTANCE);
        }
        pendingSessions.clear();
        if (!routes.isEmpty()) {
            neighbors.accept(routes);
        }
        for (PeerStatus s : sessions) {
            notifyListeners(l -> l.sessionChanged(s));
        }
        if (!listeners.isEmpty()) { // a speaker that only relays builds no events
            List<BestRouteChange> changed = bestRouteChanges(routes);
            if (!changed.isEmpty()) {
                notifyListeners(l -> l.bestRoutesChanged(changed));
            }
        }
        if (!pendingPaths.isEmpty()) {
            List<MultipathChange> paths = pendingPaths.stream().map(multipath).toList();
            pendingPaths.clear();
            for (MultipathListener l : multipathListeners) {
                try {
                    l.multipathChanged(paths);
                } catch (RuntimeException e) {
                    LOG.warn("multipath listener {} failed: {}", l, e.toString());
                }
            }
        }
    }

    private List<BestRouteChange> bestRouteChanges(List<AdjRibOut.Change> routes) {
        List<BestRouteChange> out = new ArrayList<>();
        for (AdjRibOut.Change c : routes) {
            if (!sameRoute(c.before(), c.now())) {
                out.add(new BestRouteChange(
                        c.prefix(),
                        c.now().map(p -> new BestRoute(c.prefix(), peerNames.apply(p.peer()), p.attributes()))));
            }
        }
        return List.copyOf(out);
    }

    /** Same source and attributes: for a listener nothing changed (the rank may have). */
    private static boolean sameRoute(Optional<Path<RouteAttributes>> a, Optional<Path<RouteAttributes>> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() && b.isEmpty();
        }
        return a.get().peer() == b.get().peer()
                && a.get().attributes().equals(b.get().attributes());
    }

    private void notifyListeners(Consumer<SpeakerListener> call) {
        for (SpeakerListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("speaker listener {} failed: {}", l, e.toString());
            }
        }
    }
}
