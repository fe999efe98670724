package io.meshgw.bgp.rib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The Loc-RIB with every peer's accepted paths (the post-policy Adj-RIBs-In live here too, one
 * path per peer and destination) and the selected best path per destination. Each change returns
 * the best-path change it caused, so callers update Adj-RIBs-Out incrementally.
 *
 * <p>Memory: attributes are interned and shared; a destination with one path holds one small
 * array. Not thread-safe: the speaker runs it on one thread.
 *
 * @param <K> the destination key (a prefix)
 * @param <A> the path attributes (immutable, with value equality)
 */
public final class LocRib<K, A> {

    /** The peer index of locally originated routes. */
    public static final int LOCAL = 0;

    private static final class Entry<A> {
        Path<A>[] paths;
        int best = -1;

        @SuppressWarnings("unchecked")
        Entry(Path<A> first) {
            paths = new Path[] {first};
        }

        Optional<Path<A>> bestPath() {
            return best < 0 ? Optional.empty() : Optional.of(paths[best]);
        }
    }

    private final Map<K, Entry<A>> table = new HashMap<>();
    private final Interner<A> interner = new Interner<>();
    /** Per peer, its paths counted per partition of the destinations. */
    private final Map<Integer, int[]> pathsPerPeer = new HashMap<>();

    private Consumer<K> pathsChanged = k -> {};

    private final ToIntFunction<K> partition;
    private final int partitions;

    /** A Loc-RIB that counts each peer's paths as one number. */
    public LocRib() {
        this(k -> 0, 1);
    }

    /**
     * A Loc-RIB that also counts each peer's paths per partition of the destinations (an address family, for
     * per-family prefix limits).
     *
     * @param partition a destination's partition, {@code 0 .. partitions - 1}
     */
    public LocRib(ToIntFunction<K> partition, int partitions) {
        this.partition = partition;
        this.partitions = partitions;
    }

    /**
     * Tells {@code observer} of every destination whose set of paths changed (a path added, replaced with other
     * attributes, or removed), whether or not the best path did: the equal-cost paths ({@link #multipath}) may have.
     */
    public void observePaths(Consumer<K> observer) {
        this.pathsChanged = observer;
    }

    /** Installs or replaces {@code peer}'s path to {@code destination}. */
    public Optional<BestPathChange<K, A>> update(int peer, K destination, A attributes, PathRank rank) {
        Path<A> path = new Path<>(peer, interner.acquire(attributes), rank, false);
        Entry<A> e = table.get(destination);
        if (e == null) {
            table.put(destination, new Entry<>(path));
            count(peer, destination, 1);
            pathsChanged.accept(destination);
            return reselect(destination, table.get(destination), Optional.empty());
        }
        Optional<Path<A>> before = e.bestPath();
        int i = indexOf(e, peer);
        if (i >= 0) {
            Path<A> old = e.paths[i];
            interner.release(old.attributes());
            e.paths[i] = path;
            if (old.attributes() != path.attributes() || !old.rank().equals(path.rank())) {
                pathsChanged.accept(destination);
            }
        } else {
            e.paths = Arrays.copyOf(e.paths, e.paths.length + 1);
            e.paths[e.paths.length - 1] = path;
            count(peer, destination, 1);
            pathsChanged.accept(destination);
        }
        return reselect(destination, e, before);
    }

    /** Removes {@code peer}'s path to {@code destination}, if it has one. */
    public Optional<BestPathChange<K, A>> withdraw(int peer, K destination) {
        Entry<A> e = table.get(destination);
        if (e == null) {
            return Optional.empty();
        }
        int i = indexOf(e, peer);
        if (i < 0) {
            return Optional.empty();
        }
        Optional<Path<A>> before = e.bestPath();
        removeAt(destination, e, i);
        pathsChanged.accept(destination);
        if (e.paths.length == 0) {
            table.remove(destination);
            return Optional.of(new BestPathChange<>(destination, before, Optional.empty()));
        }
        return reselect(destination, e, before);
    }

    /** Removes every path of {@code peer} (its session went down without graceful restart). */
    public List<BestPathChange<K, A>> withdrawAll(int peer) {
        return removeWhere(peer, false, k -> true);
    }

    /**
     * RFC 4724 §4.2: the peer restarts gracefully; keep its paths, marked stale, so forwarding
     * continues while it comes back.
     */
    public void markStale(int peer) {
        for (Entry<A> e : table.values()) {
            int i = indexOf(e, peer);
            if (i >= 0) {
                e.paths[i] = e.paths[i].asStale();
            }
        }
    }

    /**
     * RFC 4724 §4.2: End-of-RIB from the restarted peer (or its restart timer expired): drop the
     * paths it did not re-advertise.
     */
    public List<BestPathChange<K, A>> sweepStale(int peer) {
        return removeWhere(peer, true, k -> true);
    }

    /**
     * As {@link #sweepStale(int)}, for the destinations {@code which} accepts: End-of-RIB ends one address family's
     * grace (RFC 4724 §4.2), and the others' stale paths wait for theirs.
     */
    public List<BestPathChange<K, A>> sweepStale(int peer, Predicate<K> which) {
        return removeWhere(peer, true, which);
    }

    private List<BestPathChange<K, A>> removeWhere(int peer, boolean onlyStale, Predicate<K> which) {
        List<BestPathChange<K, A>> changes = new ArrayList<>();
        var it = table.entrySet().iterator();
        while (it.hasNext()) {
            var me = it.next();
            Entry<A> e = me.getValue();
            int i = indexOf(e, peer);
            if (i < 0 || (onlyStale && !e.paths[i].stale()) || !which.test(me.getKey())) {
                continue;
            }
            Optional<Path<A>> before = e.bestPath();
            removeAt(me.getKey(), e, i);
            pathsChanged.accept(me.getKey());
            if (e.paths.length == 0) {
                it.remove();
                changes.add(new BestPathChange<>(me.getKey(), before, Optional.empty()));
            } else {
                reselect(me.getKey(), e, before).ifPresent(changes::add);
            }
        }
        return changes;
    }

    public Optional<Path<A>> best(K destination) {
        Entry<A> e = table.get(destination);
        return e == null ? Optional.empty() : e.bestPath();
    }

    /** All paths to {@code destination}, best first. */
    public List<Path<A>> paths(K destination) {
        Entry<A> e = table.get(destination);
        if (e == null) {
            return List.of();
        }
        List<Path<A>> out = new ArrayList<>(List.of(e.paths));
        out.addFirst(out.remove(e.best));
        return out;
    }

    /**
     * The paths to {@code destination} to forward over together ({@link DecisionProcess#multipath}), best first; empty
     * when there is none.
     */
    public List<Path<A>> multipath(K destination) {
        Entry<A> e = table.get(destination);
        if (e == null) {
            return List.of();
        }
        List<Path<A>> out = new ArrayList<>();
        for (int i : DecisionProcess.multipath(Arrays.asList(e.paths), e.best)) {
            out.add(e.paths[i]);
        }
        return out;
    }

    /** Visits every destination (for a listener that starts from the whole table). */
    public void forEachDestination(Consumer<K> visitor) {
        table.keySet().forEach(visitor);
    }

    /** Visits every destination with its best path. */
    public void forEachBest(BiConsumer<K, Path<A>> visitor) {
        table.forEach((k, e) -> visitor.accept(k, e.paths[e.best]));
    }

    /** Visits every path held from {@code peer} (its post-policy Adj-RIB-In). */
    public void forEachPath(int peer, BiConsumer<K, Path<A>> visitor) {
        table.forEach((k, e) -> {
            int i = indexOf(e, peer);
            if (i >= 0) {
                visitor.accept(k, e.paths[i]);
            }
        });
    }

    public int destinations() {
        return table.size();
    }

    /** Paths held from {@code peer}: its post-policy Adj-RIB-In size. */
    public int pathsFrom(int peer) {
        int[] n = pathsPerPeer.get(peer);
        return n == null ? 0 : Arrays.stream(n).sum();
    }

    /** Paths held from {@code peer} in one partition of the destinations. */
    public int pathsFrom(int peer, int partition) {
        int[] n = pathsPerPeer.get(peer);
        return n == null ? 0 : n[partition];
    }

    private void count(int peer, K destination, int delta) {
        int[] n = pathsPerPeer.computeIfAbsent(peer, p -> new int[partitions]);
        n[partition.applyAsInt(destination)] += delta;
        if (delta < 0 && Arrays.stream(n).allMatch(c -> c == 0)) {
            pathsPerPeer.remove(peer); // a removed peer's index leaves nothing behind
        }
    }

    /** Distinct attribute sets held, a measure of how well interning shares them. */
    public int distinctAttributes() {
        return interner.size();
    }

    private void removeAt(K destination, Entry<A> e, int i) {
        interner.release(e.paths[i].attributes());
        count(e.paths[i].peer(), destination, -1);
        Path<A>[] p = e.paths;
        @SuppressWarnings("unchecked")
        Path<A>[] smaller = new Path[p.length - 1];
        System.arraycopy(p, 0, smaller, 0, i);
        System.arraycopy(p, i + 1, smaller, i, p.length - i - 1);
        e.paths = smaller;
    }

    private Optional<BestPathChange<K, A>> reselect(K destination, Entry<A> e, Optional<Path<A>> before) {
        e.best = DecisionProcess.best(Arrays.asList(e.paths));
        Optional<Path<A>> now = e.bestPath();
        if (before.isPresent() && now.isPresent() && samePath(before.get(), now.get())) {
            return Optional.empty();
        }
        return Optional.of(new BestPathChange<>(destination, before, now));
    }

    /** Same peer, same (interned) attributes: re-advertising or re-marking it changes nothing. */
    private static <A> boolean samePath(Path<A> a, Path<A> b) {
        return a.peer() == b.peer()
                && a.attributes() == b.attributes()
                && a.rank().equals(b.rank());
    }

    private static <A> int indexOf(Entry<A> e, int peer) {
        for (int i = 0; i < e.paths.length; i++) {
            if (e.paths[i].peer() == peer) {
                return i;
            }
        }
        return -1;
    }
}
