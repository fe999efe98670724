package io.meshgw.bpf;

import io.meshgw.bpf.libbpf.Libbpf.MapDef;
import io.meshgw.bpf.libbpf.MapCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A typed view of one kernel map. The descriptor belongs to the {@link LoadedObject} (or
 * {@link PinnedMap}) it came from; this view only borrows it. Single-element operations reuse
 * buffers and are serialised on the map; batch operations use the kernel's batch commands and
 * fall back to element-wise calls for map types without them (LPM tries).
 */
public final class BpfMap<K, V> {

    private static final int ENOTSUPP = 524;
    private static final int EOPNOTSUPP = 95;
    private static final int EINVAL = 22;

    private final MapDef def;
    private final int fd;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final MemorySegment key;
    private final MemorySegment next;
    private final MemorySegment value;
    private final MemorySegment state;
    private boolean batchUnsupported;
    private boolean lookupBatchUnsupported;
    private static final int LOOKUP_BATCH_ENTRIES = 4096;

    BpfMap(MapDef def, int fd, Codec<K> keys, Codec<V> values, Arena arena) {
        if (keys.size() != def.keySize() || values.size() != def.valueSize()) {
            throw new BpfException("map " + def.name() + " has key/value sizes " + def.keySize() + "/"
                    + def.valueSize() + " but the codecs write " + keys.size() + "/" + values.size()
                    + ": the Java layout and the C struct disagree");
        }
        this.def = def;
        this.fd = fd;
        this.keys = keys;
        this.values = values;
        this.key = arena.allocate(Math.max(8, keys.size()), 8);
        this.next = arena.allocate(Math.max(8, keys.size()), 8);
        this.value = arena.allocate(Math.max(8, values.size()), 8);
        this.state = MapCalls.newState(arena);
    }

    public String name() {
        return def.name();
    }

    public int maxEntries() {
        return def.maxEntries();
    }

    public int fd() {
        return fd;
    }

    private BpfException failure(String call, int errno) {
        return new BpfException(call, def.name(), errno, MapCalls.strerror(errno));
    }

    public synchronized Optional<V> get(K k) {
        keys.write(k, key, 0);
        int errno = MapCalls.lookup(state, fd, key, value);
        if (errno == MapCalls.ENOENT) {
            return Optional.empty();
        }
        if (errno != 0) {
            throw failure("bpf_map_lookup_elem", errno);
        }
        return Optional.of(values.read(value, 0));
    }

    /** Inserts or replaces. */
    public synchronized void put(K k, V v) {
        keys.write(k, key, 0);
        values.write(v, value, 0);
        int errno = MapCalls.update(state, fd, key, value, MapCalls.BPF_ANY);
        if (errno != 0) {
            throw failure("bpf_map_update_elem", errno);
        }
    }

    /** Removes a key; false when it was not there. */
    public synchronized boolean delete(K k) {
        keys.write(k, key, 0);
        int errno = MapCalls.delete(state, fd, key);
        if (errno == MapCalls.ENOENT) {
            return false;
        }
        if (errno != 0) {
            throw failure("bpf_map_delete_elem", errno);
        }
        return true;
    }

    /** Inserts or replaces every entry, in batches of the kernel's batch command. */
    public void putAll(Map<K, V> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (!batchUnsupported) {
            try (Arena arena = Arena.ofConfined()) {
                int n = entries.size();
                MemorySegment ks = arena.allocate((long) n * keys.size(), 8);
                MemorySegment vs = arena.allocate((long) n * values.size(), 8);
                int i = 0;
                for (Map.Entry<K, V> e : entries.entrySet()) {
                    keys.write(e.getKey(), ks, (long) i * keys.size());
                    values.write(e.getValue(), vs, (long) i * values.size());
                    i++;
                }
                MemorySegment count = arena.allocateFrom(ValueLayout.JAVA_INT, n);
                MemorySegment opts = MapCalls.batchOpts(arena, MapCalls.BPF_ANY);
                int errno = MapCalls.updateBatch(MapCalls.newState(arena), fd, ks, vs, count, opts);
                if (errno == 0) {
                    return;
                }
                if (!unsupported(errno)) {
                    throw failure(
                            "bpf_map_update_batch (" + count.get(ValueLayout.JAVA_INT, 0) + " of " + n + " done)",
                            errno);
                }
                batchUnsupported = true;
            }
        }
        entries.forEach(this::put);
    }

    /** Removes every key that is present; returns how many were removed. */
    public int deleteAll(Collection<K> toDelete) {
        if (toDelete.isEmpty()) {
            return 0;
        }
        if (!batchUnsupported) {
            List<K> list = new ArrayList<>(toDelete);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment ks = arena.allocate((long) list.size() * keys.size(), 8);
                for (int i = 0; i < list.size(); i++) {
                    keys.write(list.get(i), ks, (long) i * keys.size());
                }
                MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
                MemorySegment opts = MapCalls.batchOpts(arena, 0);
                MemorySegment st = MapCalls.newState(arena);
                int done = 0;
                int removed = 0;
                while (done < list.size()) {
                    count.set(ValueLayout.JAVA_INT, 0, list.size() - done);
                    int errno = MapCalls.deleteBatch(st, fd, ks.asSlice((long) done * keys.size()), count, opts);
                    int n = count.get(ValueLayout.JAVA_INT, 0);
                    if (errno == 0) {
                        return removed + n;
                    }
                    if (errno == MapCalls.ENOENT) {
                        // The batch stops at the first absent key: step over it and go on.
                        removed += n;
                        done += n + 1;
                        continue;
                    }
                    if (unsupported(errno) && done == 0) {
                        batchUnsupported = true;
                        break;
                    }
                    throw failure("bpf_map_delete_batch", errno);
                }
                if (!batchUnsupported) {
                    return removed;
                }
            }
        }
        int removed = 0;
        for (K k : toDelete) {
            removed += delete(k) ? 1 : 0;
        }
        return removed;
    }

    private static boolean unsupported(int errno) {
        return errno == ENOTSUPP || errno == EOPNOTSUPP || errno == EINVAL;
    }

    /**
     * Every entry: read in batches where the kernel has batch lookup for the map, else by walking the keys (entries
     * that vanish during the walk are skipped).
     */
    public synchronized Map<K, V> entries() {
        return entries(Integer.MAX_VALUE);
    }

    /** At most {@code limit} entries. */
    public synchronized Map<K, V> entries(int limit) {
        if (!lookupBatchUnsupported) {
            Map<K, V> out = new LinkedHashMap<>();
            if (lookupInBatches(limit, out::putAll)) {
                return out;
            }
        }
        return entriesKeyByKey(limit);
    }

    /**
     * Hands every entry to {@code batch}, at most {@value #LOOKUP_BATCH_ENTRIES} at a time, so reading a big map
     * holds one batch in memory, not the whole map. The entries of a batch may be deleted before the next one is
     * read: the kernel's batch walk goes on from the next hash bucket. A map without batch lookup (an LPM trie) is
     * read whole first and then handed over in batches.
     *
     * @return how many entries were handed over
     */
    public synchronized long forEachBatch(Consumer<Map<K, V>> batch) {
        long[] handed = {0};
        Consumer<Map<K, V>> counting = b -> {
            handed[0] += b.size();
            batch.accept(b);
        };
        if (!lookupBatchUnsupported && lookupInBatches(Integer.MAX_VALUE, counting)) {
            return handed[0];
        }
        Map<K, V> chunk = new LinkedHashMap<>();
        for (Map.Entry<K, V> e : entriesKeyByKey(Integer.MAX_VALUE).entrySet()) {
            chunk.put(e.getKey(), e.getValue());
            if (chunk.size() == LOOKUP_BATCH_ENTRIES) {
                counting.accept(chunk);
                chunk = new LinkedHashMap<>();
            }
        }
        if (!chunk.isEmpty()) {
            counting.accept(chunk);
        }
        return handed[0];
    }

    /**
     * Up to {@code limit} entries read a batch at a time (one syscall per few thousand entries instead of two per
     * entry, which matters for a conntrack table of half a million), each batch handed to {@code sink} as it is
     * read; false, with nothing handed over, when the kernel has no batch lookup for this map.
     */
    private boolean lookupInBatches(int limit, Consumer<Map<K, V>> sink) {
        int chunk = Math.max(1, Math.min(limit, LOOKUP_BATCH_ENTRIES));
        long handed = 0;
        try (Arena arena = Arena.ofConfined()) {
            // The token is the map's own business (a bucket index for hash maps, a key for arrays): room for either.
            long tokenSize = Math.max(8, keys.size());
            MemorySegment in = arena.allocate(tokenSize, 8);
            MemorySegment outToken = arena.allocate(tokenSize, 8);
            MemorySegment count = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment opts = MapCalls.batchOpts(arena, 0);
            MemorySegment st = MapCalls.newState(arena);
            MemorySegment ks = arena.allocate((long) chunk * keys.size(), 8);
            MemorySegment vs = arena.allocate((long) chunk * values.size(), 8);
            boolean first = true;
            while (handed < limit) {
                count.set(ValueLayout.JAVA_INT, 0, chunk);
                int errno =
                        MapCalls.lookupBatch(st, fd, first ? MemorySegment.NULL : in, outToken, ks, vs, count, opts);
                if (errno == MapCalls.ENOSPC && chunk < def.maxEntries()) {
                    // one hash bucket holds more entries than a batch: retry the same position with room for them
                    chunk = (int) Math.min((long) chunk * 2, def.maxEntries());
                    ks = arena.allocate((long) chunk * keys.size(), 8);
                    vs = arena.allocate((long) chunk * values.size(), 8);
                    continue;
                }
                if (errno != 0 && errno != MapCalls.ENOENT) {
                    if (first && unsupported(errno)) {
                        lookupBatchUnsupported = true;
                        return false;
                    }
                    throw failure("bpf_map_lookup_batch", errno);
                }
                int n = (int) Math.min(count.get(ValueLayout.JAVA_INT, 0), limit - handed);
                Map<K, V> batch = LinkedHashMap.newLinkedHashMap(n);
                for (int i = 0; i < n; i++) {
                    batch.put(keys.read(ks, (long) i * keys.size()), values.read(vs, (long) i * values.size()));
                }
                handed += n;
                if (n > 0) {
                    sink.accept(batch);
                }
                if (errno == MapCalls.ENOENT) {
                    break;
                }
                MemorySegment.copy(outToken, 0, in, 0, tokenSize);
                first = false;
            }
        }
        return true;
    }

    private Map<K, V> entriesKeyByKey(int limit) {
        Map<K, V> out = new LinkedHashMap<>();
        MemorySegment prev = MemorySegment.NULL;
        while (out.size() < limit) {
            int errno = MapCalls.nextKey(state, fd, prev, next);
            if (errno == MapCalls.ENOENT) {
                break;
            }
            if (errno != 0) {
                throw failure("bpf_map_get_next_key", errno);
            }
            int lookup = MapCalls.lookup(state, fd, next, value);
            if (lookup == 0) {
                out.put(keys.read(next, 0), values.read(value, 0));
            } else if (lookup != MapCalls.ENOENT) {
                throw failure("bpf_map_lookup_elem", lookup);
            }
            MemorySegment.copy(next, 0, key, 0, keys.size());
            prev = key;
        }
        return out;
    }

    /** Removes every entry. */
    public void clear() {
        deleteAll(entries().keySet());
    }
}
