package io.meshgw.operator.plan;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map kept in chunks by key hash, so that the next pass's map shares every chunk in which nothing
 * changed. Changing one entry of a map of 65,536 copies one chunk of a few dozen entries instead of the map, and
 * {@link #diff} between two maps of the same lineage skips every shared chunk: the work of a pass that changes one
 * service is the size of the change, not of the table.
 *
 * <p>Iteration goes chunk by chunk, each in the order its keys were first put; a map of up to {@value #CHUNK}
 * entries is one chunk and iterates exactly in insertion order. Neither keys nor values may be null.
 */
public final class ChunkedMap<K, V> extends AbstractMap<K, V> {

    /** Entries per chunk the map aims at; a map grows or shrinks its chunk count past 4x either way. */
    static final int CHUNK = 32;

    private static final int MAX_CHUNKS = 1 << 14;
    private static final Map<?, ?>[] ONE_EMPTY = {Map.of()};
    private static final ChunkedMap<?, ?> EMPTY = new ChunkedMap<>(ONE_EMPTY, 0);

    /** Never modified once the map is built; an empty chunk is {@code Map.of()}. */
    private final Map<K, V>[] chunks;

    private final int size;
    private Set<Entry<K, V>> entries;

    private ChunkedMap(Map<?, ?>[] chunks, int size) {
        @SuppressWarnings("unchecked")
        Map<K, V>[] typed = (Map<K, V>[]) chunks;
        this.chunks = typed;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    public static <K, V> ChunkedMap<K, V> of() {
        return (ChunkedMap<K, V>) EMPTY;
    }

    /** The map itself if it is a ChunkedMap, else a copy in its iteration order. */
    @SuppressWarnings("unchecked")
    public static <K, V> ChunkedMap<K, V> copyOf(Map<? extends K, ? extends V> map) {
        if (map instanceof ChunkedMap<?, ?> chunked) {
            return (ChunkedMap<K, V>) chunked;
        }
        Editor<K, V> editor = new Editor<>(of(), chunkCount(map.size()));
        map.forEach(editor::put);
        return editor.build();
    }

    /** An editor that starts from this map and shares its chunks until they are changed. */
    public Editor<K, V> edit() {
        return new Editor<>(this, chunks.length);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public V get(Object key) {
        return key == null ? null : chunks[index(key, chunks.length)].get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return key != null && chunks[index(key, chunks.length)].containsKey(key);
    }

    @Override
    public void forEach(BiConsumer<? super K, ? super V> action) {
        for (var chunk : chunks) {
            chunk.forEach(action);
        }
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        if (entries == null) {
            entries = new AbstractSet<>() {
                @Override
                public Iterator<Entry<K, V>> iterator() {
                    return new Entries();
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
        return entries;
    }

    int chunkCount() {
        return chunks.length;
    }

    /** How many chunks this map holds as the same instances as {@code other}: what an edit did not copy. */
    int chunksSharedWith(ChunkedMap<?, ?> other) {
        int shared = 0;
        for (int i = 0; i < Math.min(chunks.length, other.chunks.length); i++) {
            shared += chunks[i] == other.chunks[i] ? 1 : 0;
        }
        return shared;
    }

    /** What a {@link #diff} reports: a key whose value differs, with null for the side that has none. */
    @FunctionalInterface
    public interface Differences<K, V> {
        void changed(K key, V before, V after);
    }

    /**
     * Reports every key whose value differs between the two maps (values compared by {@code equals}). Where both are
     * ChunkedMaps with the same chunking, a chunk the two share is skipped without looking into it, so maps of one
     * lineage (the next pass edited from the last) cost the size of what changed.
     */
    public static <K, V> void diff(Map<K, V> before, Map<K, V> after, Differences<K, V> out) {
        if (before == after) {
            return;
        }
        if (before instanceof ChunkedMap<K, V> b
                && after instanceof ChunkedMap<K, V> a
                && b.chunks.length == a.chunks.length) {
            for (int i = 0; i < a.chunks.length; i++) {
                if (a.chunks[i] != b.chunks[i]) {
                    diffWhole(b.chunks[i], a.chunks[i], out);
                }
            }
            return;
        }
        diffWhole(before, after, out);
    }

    private static <K, V> void diffWhole(Map<K, V> before, Map<K, V> after, Differences<K, V> out) {
        before.forEach((k, v) -> {
            if (!after.containsKey(k)) {
                out.changed(k, v, null);
            }
        });
        after.forEach((k, v) -> {
            V old = before.get(k);
            if (old != v && (old == null || !old.equals(v))) {
                out.changed(k, old, v);
            }
        });
    }

    private static int chunkCount(int size) {
        int wanted = Integer.highestOneBit(Math.max(1, size / CHUNK));
        return Math.min(wanted, MAX_CHUNKS);
    }

    private static int index(Object key, int chunks) {
        int h = key.hashCode();
        h ^= h >>> 16;
        h *= 0x9e3779b9;
        return (h ^ h >>> 15) & (chunks - 1);
    }

    private final class Entries implements Iterator<Entry<K, V>> {
        private int chunk = -1;
        private Iterator<Entry<K, V>> current = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
            while (!current.hasNext()) {
                if (++chunk >= chunks.length) {
                    return false;
                }
                current = chunks[chunk].entrySet().iterator();
            }
            return true;
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry<K, V> e = current.next();
            return new SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
    }

    /**
     * Puts and removes on top of a map, copying a chunk the first time it changes; {@link #build} hands over the new
     * map (and the editor must not be used after). A put of a value equal to the one held changes nothing, so the
     * chunk stays shared.
     */
    public static final class Editor<K, V> {
        private final ChunkedMap<K, V> base;
        private Map<K, V>[] chunks;
        private boolean[] copied;
        private int size;

        private Editor(ChunkedMap<K, V> base, int chunkCount) {
            this.base = base;
            this.size = base.size;
            if (chunkCount == base.chunks.length) {
                chunks = Arrays.copyOf(base.chunks, chunkCount);
            } else {
                chunks = rechunked(base, chunkCount);
            }
            copied = new boolean[chunks.length];
        }

        public Editor<K, V> put(K key, V value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            int i = index(key, chunks.length);
            V held = chunks[i].get(key);
            if (held == value || value.equals(held)) {
                return this;
            }
            own(i).put(key, value);
            if (held == null) {
                size++;
            }
            return this;
        }

        public Editor<K, V> remove(Object key) {
            if (key == null) {
                return this;
            }
            int i = index(key, chunks.length);
            if (chunks[i].containsKey(key)) {
                own(i).remove(key);
                size--;
            }
            return this;
        }

        public V get(Object key) {
            return key == null ? null : chunks[index(key, chunks.length)].get(key);
        }

        public int size() {
            return size;
        }

        /** The edited map; the base itself when nothing changed. */
        public ChunkedMap<K, V> build() {
            int wanted = chunkCount(size);
            if (wanted > chunks.length * 4 || wanted * 4 < chunks.length) {
                var regrown = new ChunkedMap<K, V>(freeze(chunks), size);
                return new ChunkedMap<>(rechunked(regrown, wanted), size);
            }
            boolean changed = false;
            for (boolean c : copied) {
                changed |= c;
            }
            if (!changed && chunks.length == base.chunks.length) {
                return base;
            }
            var built = new ChunkedMap<K, V>(freeze(chunks), size);
            chunks = null;
            return built;
        }

        private Map<K, V> own(int i) {
            if (!copied[i]) {
                chunks[i] = new LinkedHashMap<>(chunks[i]);
                copied[i] = true;
            }
            return chunks[i];
        }

        private Map<K, V>[] freeze(Map<K, V>[] from) {
            for (int i = 0; i < from.length; i++) {
                if (copied[i]) {
                    from[i] = from[i].isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(from[i]);
                    copied[i] = false;
                }
            }
            return from;
        }

        @SuppressWarnings("unchecked")
        private static <K, V> Map<K, V>[] rechunked(ChunkedMap<K, V> from, int count) {
            Map<K, V>[] out = new Map[count];
            for (var chunk : from.chunks) {
                chunk.forEach((k, v) -> {
                    int i = index(k, count);
                    if (out[i] == null) {
                        out[i] = new LinkedHashMap<>();
                    }
                    out[i].put(k, v);
                });
            }
            for (int i = 0; i < count; i++) {
                out[i] = out[i] == null ? Map.of() : java.util.Collections.unmodifiableMap(out[i]);
            }
            return out;
        }
    }
}
