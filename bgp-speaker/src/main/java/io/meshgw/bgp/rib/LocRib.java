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
 * <p>Memory: a destination with one path holds that path alone, without an entry around it, and
 * destinations the {@link KeyPacking} packs are numbers in the table rather than objects
 * ({@link DestinationTable}). Attributes are interned, and the prefixes of one UPDATE (same peer,
 * same interned attributes, same rank) share one {@link Path}. Not thread-safe: the speaker runs
 * it on one thread.
 *
 * @param <K> the destination key (a prefix)
 * @param <A> the path attributes (immutable, with value equality)
 */
public final class LocRib<K, A> {

    /** The peer index of locally originated routes. */
    public static final int LOCAL = 0;

    /** A destination with two paths or more; one with a single path holds the {@link Path} itself. */
    private static final class Entry<A> {
        Path<A>[] paths;
        int best;

        @SafeVarargs
        Entry(Path<A>... paths) {
            this.paths = paths;
        }
    }

    /** Per destination, a {@link Path} (the only one, so the best) or an {@link Entry}. */
    private final DestinationTable<K, Object> table;

    private final Interner<A> interner = new Interner<>();
    /** Per peer, its paths counted per partition of the destinations. */
    private final Map<Integer, int[]> pathsPerPeer = new HashMap<>();
    /** The peer counted last and its counts: the prefixes of an UPDATE count for one peer, one after the other. */
    private int countedPeer = -1;

    private int[] countedPaths;
    /** The path made last, handed again to the next prefix of the same UPDATE. */
    private Path<A> lastPath;

    private Consumer<K> pathsChanged = k -> {};

    private final ToIntFunction<K> partition;
    private final int partitions;

    /** A Loc-RIB that counts each peer's paths as one number. */
    public LocRib() {
        this(k -> 0, 1, KeyPacking.none());
    }

    /**
     * A Loc-RIB that also counts each peer's paths per partition of the destinations (an address family, for
     * per-family prefix limits).
     *
     * @param partition a destination's partition, {@code 0 .. partitions - 1}
     * @param packing the destinations held as numbers
     */
    public LocRib(ToIntFunction<K> partition, int partitions, KeyPacking<K> packing) {
        this.partition = partition;
        this.partitions = partitions;
        this.table = new DestinationTable<>(packing);
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
        Path<A> path = path(peer, interner.acquire(attributes), rank);
        Object held = table.get(destination);
        if (held == null) {
            table.put(destination, path);
            count(peer, destination, 1);
            pathsChanged.accept(destination);
            return Optional.of(new BestPathChange<>(destination, Optional.empty(), Optional.of(path)));
        }
        if (held instanceof Path<?> p) {
            Path<A> only = uncheckedPath(p);
            if (only.peer() == peer) {
                interner.release(only.attributes());
                table.put(destination, path);
                if (samePath(only, path)) {
                    return Optional.empty();
                }
                pathsChanged.accept(destination);
                return Optional.of(new BestPathChange<>(destination, Optional.of(only), Optional.of(path)));
            }
            Entry<A> e = new Entry<>(only, path);
            table.put(destination, e);
            count(peer, destination, 1);
            pathsChanged.accept(destination);
            return reselect(destination, e, Optional.of(only));
        }
        Entry<A> e = uncheckedEntry(held);
        Optional<Path<A>> before = Optional.of(e.paths[e.best]);
        int i = indexOf(e.paths, peer);
        if (i >= 0) {
            Path<A> old = e.paths[i];
            interner.release(old.attributes());
            e.paths[i] = path;
            if (!samePath(old, path)) {
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
        Object held = table.get(destination);
        if (held == null) {
            return Optional.empty();
        }
        if (held instanceof Path<?> p) {
            Path<A> only = uncheckedPath(p);
            if (only.peer() != peer) {
                return Optional.empty();
            }
            table.remove(destination);
            forget(destination, only);
            return Optional.of(new BestPathChange<>(destination, Optional.of(only), Optional.empty()));
        }
        Entry<A> e = uncheckedEntry(held);
        int i = indexOf(e.paths, peer);
        if (i < 0) {
            return Optional.empty();
        }
        Optional<BestPathChange<K, A>> change = removeAt(destination, e, i);
        if (e.paths.length == 1) {
            table.put(destination, e.paths[0]);
        }
        return change;
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
        table.replaceAll((k, held) -> {
            if (held instanceof Path<?> p) {
                return p.peer() == peer ? p.asStale() : p;
            }
            Entry<A> e = uncheckedEntry(held);
            int i = indexOf(e.paths, peer);
            if (i >= 0) {
                e.paths[i] = e.paths[i].asStale();
            }
            return e;
        });
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
        table.replaceAll((k, held) -> {
            if (held instanceof Path<?> p) {
                Path<A> only = uncheckedPath(p);
                if (only.peer() != peer || (onlyStale && !only.stale()) || !which.test(k)) {
                    return only;
                }
                forget(k, only);
                changes.add(new BestPathChange<>(k, Optional.of(only), Optional.empty()));
                return null;
            }
            Entry<A> e = uncheckedEntry(held);
            int i = indexOf(e.paths, peer);
            if (i < 0 || (onlyStale && !e.paths[i].stale()) || !which.test(k)) {
                return e;
            }
            removeAt(k, e, i).ifPresent(changes::add);
            return e.paths.length == 1 ? e.paths[0] : e;
        });
        return changes;
    }

    public Optional<Path<A>> best(K destination) {
        Object held = table.get(destination);
        return held == null ? Optional.empty() : Optional.of(bestOf(held));
    }

    /** All paths to {@code destination}, best first. */
    public List<Path<A>> paths(K destination) {
        Object held = table.get(destination);
        if (held == null) {
            return List.of();
        }
        if (held instanceof Path<?> p) {
            return List.of(uncheckedPath(p));
        }
        Entry<A> e = uncheckedEntry(held);
        List<Path<A>> out = new ArrayList<>(List.of(e.paths));
        out.addFirst(out.remove(e.best));
        return out;
    }

    /**
     * The paths to {@code destination} to forward over together ({@link DecisionProcess#multipath}), best first; empty
     * when there is none.
     */
    public List<Path<A>> multipath(K destination) {
        Object held = table.get(destination);
        if (held == null) {
            return List.of();
        }
        if (held instanceof Path<?> p) {
            return List.of(uncheckedPath(p));
        }
        Entry<A> e = uncheckedEntry(held);
        List<Path<A>> out = new ArrayList<>();
        for (int i : DecisionProcess.multipath(Arrays.asList(e.paths), e.best)) {
            out.add(e.paths[i]);
        }
        return out;
    }

    /** Visits every destination (for a listener that starts from the whole table). */
    public void forEachDestination(Consumer<K> visitor) {
        table.forEach((k, held) -> visitor.accept(k));
    }

    /** Visits every destination with its best path. */
    public void forEachBest(BiConsumer<K, Path<A>> visitor) {
        table.forEach((k, held) -> visitor.accept(k, bestOf(held)));
    }

    /** Visits every path held from {@code peer} (its post-policy Adj-RIB-In). */
    public void forEachPath(int peer, BiConsumer<K, Path<A>> visitor) {
        table.forEach((k, held) -> {
            if (held instanceof Path<?> p) {
                if (p.peer() == peer) {
                    visitor.accept(k, uncheckedPath(p));
                }
                return;
            }
            Path<A>[] paths = LocRib.<A>uncheckedEntry(held).paths;
            int i = indexOf(paths, peer);
            if (i >= 0) {
                visitor.accept(k, paths[i]);
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
        int[] n = peer == countedPeer ? countedPaths : pathsPerPeer.computeIfAbsent(peer, p -> new int[partitions]);
        countedPeer = peer;
        countedPaths = n;
        int part = partition.applyAsInt(destination);
        n[part] += delta;
        if (delta < 0 && n[part] == 0 && Arrays.stream(n).allMatch(c -> c == 0)) {
            pathsPerPeer.remove(peer); // a removed peer's index leaves nothing behind
            countedPeer = -1;
            countedPaths = null;
        }
    }

    /** Distinct attribute sets held, a measure of how well interning shares them. */
    public int distinctAttributes() {
        return interner.size();
    }

    /**
     * The path for a prefix of an UPDATE: the one made for the previous prefix when peer, attributes and rank are the
     * same objects (an UPDATE's prefixes share its interned attributes and its rank), else a new one.
     */
    private Path<A> path(int peer, A interned, PathRank rank) {
        Path<A> last = lastPath;
        if (last != null && last.peer() == peer && last.attributes() == interned && last.rank() == rank) {
            return last;
        }
        return lastPath = new Path<>(peer, interned, rank, false);
    }

    /** Releases what {@code path}, removed from {@code destination}, held. */
    private void forget(K destination, Path<A> path) {
        interner.release(path.attributes());
        count(path.peer(), destination, -1);
        pathsChanged.accept(destination);
    }

    /** Removes path {@code i} of an entry; the caller holds a single remaining path without the entry. */
    private Optional<BestPathChange<K, A>> removeAt(K destination, Entry<A> e, int i) {
        Optional<Path<A>> before = Optional.of(e.paths[e.best]);
        Path<A> gone = e.paths[i];
        Path<A>[] p = e.paths;
        @SuppressWarnings("unchecked")
        Path<A>[] smaller = new Path[p.length - 1];
        System.arraycopy(p, 0, smaller, 0, i);
        System.arraycopy(p, i + 1, smaller, i, p.length - i - 1);
        e.paths = smaller;
        forget(destination, gone);
        return reselect(destination, e, before);
    }

    private Optional<BestPathChange<K, A>> reselect(K destination, Entry<A> e, Optional<Path<A>> before) {
        e.best = DecisionProcess.best(Arrays.asList(e.paths));
        Optional<Path<A>> now = Optional.of(e.paths[e.best]);
        if (before.isPresent() && samePath(before.get(), now.get())) {
            return Optional.empty();
        }
        return Optional.of(new BestPathChange<>(destination, before, now));
    }

    private Path<A> bestOf(Object held) {
        if (held instanceof Path<?> p) {
            return uncheckedPath(p);
        }
        Entry<A> e = uncheckedEntry(held);
        return e.paths[e.best];
    }

    /** Same peer, same (interned) attributes: re-advertising or re-marking it changes nothing. */
    private static <A> boolean samePath(Path<A> a, Path<A> b) {
        return a.peer() == b.peer()
                && a.attributes() == b.attributes()
                && a.rank().equals(b.rank());
    }

    private static <A> int indexOf(Path<A>[] paths, int peer) {
        for (int i = 0; i < paths.length; i++) {
            if (paths[i].peer() == peer) {
                return i;
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static <A> Path<A> uncheckedPath(Path<?> p) {
        return (Path<A>) p;
    }

    @SuppressWarnings("unchecked")
    private static <A> Entry<A> uncheckedEntry(Object held) {
        return (Entry<A>) held;
    }
}
