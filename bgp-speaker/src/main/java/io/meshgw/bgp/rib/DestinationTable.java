package io.meshgw.bgp.rib;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Destinations to values, for tables that may hold a full routing table (the Loc-RIB's index, what
 * waits for a slow neighbor). Destinations the {@link KeyPacking} packs are held
 * as bare numbers in an open-addressed table (linear probing, removal by tombstone so a walk may
 * remove what it visits), 12 bytes a slot at most 75% full, where a {@code HashMap} spends a node,
 * the key object and its address array (about 64 bytes) on each; the others go to a {@code HashMap}.
 * Null values are not held. Not thread-safe.
 *
 * <p>A neighbor chooses the prefixes: with a fixed hash it could pick thousands that share a slot
 * and turn every probe into a walk of all of them. The slot comes from the key mixed with a seed
 * drawn once per process from a secure source (as Go's maps and Rust's {@code HashMap} do), so
 * which prefixes collide is not known outside. ({@code HashMap} keeps a crowded bucket as a tree
 * for the same attack; an open-addressed table has no buckets to turn into trees.)
 */
public final class DestinationTable<K, V> {

    private static final Object REMOVED = new Object();
    private static final long PROCESS_SEED = new SecureRandom().nextLong();
    private static final int MIN_CAPACITY = 16;

    private final KeyPacking<K> packing;
    private final long seed;
    private final Map<K, V> others = new HashMap<>();
    private long[] keys = new long[MIN_CAPACITY];
    private Object[] values = new Object[MIN_CAPACITY];
    /** Live packed entries. */
    private int packed;
    /** Slots not empty: live entries and tombstones. */
    private int used;

    public DestinationTable(KeyPacking<K> packing) {
        this(packing, PROCESS_SEED);
    }

    /** A table with a known seed: tests that show what a known one lets a neighbor do. */
    DestinationTable(KeyPacking<K> packing, long seed) {
        this.packing = packing;
        this.seed = seed;
    }

    public V get(K key) {
        long p = packing.pack(key);
        if (p == KeyPacking.NONE) {
            return others.get(key);
        }
        int i = find(p);
        return i < 0 ? null : value(i);
    }

    /** Maps {@code key} to {@code value}; returns the value it replaced, or null. */
    public V put(K key, V value) {
        Objects.requireNonNull(value);
        long p = packing.pack(key);
        if (p == KeyPacking.NONE) {
            return others.put(key, value);
        }
        int mask = keys.length - 1;
        int removed = -1;
        for (int i = slot(p, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                int at = removed >= 0 ? removed : i;
                if (removed < 0) {
                    used++;
                }
                keys[at] = p;
                values[at] = value;
                packed++;
                if (used * 4L >= keys.length * 3L) {
                    rehash();
                }
                return null;
            }
            if (v == REMOVED) {
                if (removed < 0) {
                    removed = i;
                }
            } else if (keys[i] == p) {
                values[i] = value;
                return uncheckedValue(v);
            }
        }
    }

    /** Removes {@code key}; returns its value, or null. */
    public V remove(K key) {
        long p = packing.pack(key);
        if (p == KeyPacking.NONE) {
            return others.remove(key);
        }
        int i = find(p);
        if (i < 0) {
            return null;
        }
        V v = value(i);
        values[i] = REMOVED;
        packed--;
        return v;
    }

    public int size() {
        return packed + others.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Visits every entry; the visitor must not add or remove entries. */
    public void forEach(BiConsumer<? super K, ? super V> visitor) {
        long[] k = keys;
        Object[] v = values;
        for (int i = 0; i < v.length; i++) {
            if (v[i] != null && v[i] != REMOVED) {
                visitor.accept(packing.unpack(k[i]), uncheckedValue(v[i]));
            }
        }
        others.forEach(visitor);
    }

    /**
     * Replaces every entry's value with what {@code f} returns for it, and removes the entries it returns null for.
     * {@code f} must not change the table itself.
     */
    public void replaceAll(BiFunction<? super K, ? super V, ? extends V> f) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v != null && v != REMOVED) {
                V next = f.apply(packing.unpack(keys[i]), uncheckedValue(v));
                if (next == null) {
                    values[i] = REMOVED;
                    packed--;
                } else {
                    values[i] = next;
                }
            }
        }
        var it = others.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            V next = f.apply(e.getKey(), e.getValue());
            if (next == null) {
                it.remove();
            } else {
                e.setValue(next);
            }
        }
    }

    private int find(long p) {
        int mask = keys.length - 1;
        for (int i = slot(p, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return -1;
            }
            if (v != REMOVED && keys[i] == p) {
                return i;
            }
        }
    }

    /** A table sized for the live entries at most half full, without tombstones. */
    private void rehash() {
        int capacity = MIN_CAPACITY;
        while (capacity < packed * 2L) {
            capacity <<= 1;
        }
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldValues.length; j++) {
            Object v = oldValues[j];
            if (v != null && v != REMOVED) {
                int i = slot(oldKeys[j], mask);
                while (values[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                values[i] = v;
            }
        }
        used = packed;
    }

    /** The key and the seed through a 64-bit finalizer (MurmurHash3's fmix64): every bit of both moves every slot bit. */
    private int slot(long p, int mask) {
        return slot(p, seed, mask);
    }

    static int slot(long p, long seed, int mask) {
        long h = p ^ seed;
        h = (h ^ (h >>> 33)) * 0xFF51AFD7ED558CCDL;
        h = (h ^ (h >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return (int) (h ^ (h >>> 33)) & mask;
    }

    /** The most slots a lookup of a present key visits: how far a crowd of colliding keys has pushed one. */
    int longestProbe() {
        int mask = keys.length - 1;
        int longest = 0;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && values[i] != REMOVED) {
                longest = Math.max(longest, ((i - slot(keys[i], mask)) & mask) + 1);
            }
        }
        return longest;
    }

    private V value(int i) {
        return uncheckedValue(values[i]);
    }

    @SuppressWarnings("unchecked")
    private static <V> V uncheckedValue(Object v) {
        return (V) v;
    }
}
