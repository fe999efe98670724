package io.meshgw.bpf.datapath;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The writes that turn one map's content into another's: upserts and removals. */
record MapDiff<K, V>(Map<K, V> upserts, Set<K> removals) {

    static <K, V> MapDiff<K, V> of(Map<K, V> current, Map<K, V> desired) {
        if (current.equals(desired)) {
            return none();
        }
        Map<K, V> upserts = new HashMap<>();
        desired.forEach((k, v) -> {
            if (!Objects.equals(current.get(k), v)) {
                upserts.put(k, v);
            }
        });
        Set<K> removals = new HashSet<>();
        for (K k : current.keySet()) {
            if (!desired.containsKey(k)) {
                removals.add(k);
            }
        }
        return new MapDiff<>(upserts, removals);
    }

    static <K, V> MapDiff<K, V> none() {
        return new MapDiff<>(Map.of(), Set.of());
    }

    /** A copy of {@code map} with these writes made. */
    Map<K, V> applyTo(Map<K, V> map) {
        Map<K, V> out = new HashMap<>(map);
        applyInPlace(out);
        return out;
    }

    void applyInPlace(Map<K, V> map) {
        removals.forEach(map::remove);
        map.putAll(upserts);
    }

    /** How many entries a map holding {@code current} holds after these writes. */
    int sizeAfter(Map<K, V> current) {
        int n = current.size() - removals.size();
        for (K k : upserts.keySet()) {
            n += current.containsKey(k) ? 0 : 1;
        }
        return n;
    }

    boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }

    int size() {
        return upserts.size() + removals.size();
    }
}
