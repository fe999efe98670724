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
            return new MapDiff<>(Map.of(), Set.of());
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

    boolean isEmpty() {
        return upserts.isEmpty() && removals.isEmpty();
    }

    int size() {
        return upserts.size() + removals.size();
    }
}
