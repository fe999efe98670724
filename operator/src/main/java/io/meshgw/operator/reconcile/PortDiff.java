package io.meshgw.operator.reconcile;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The difference between what a port should hold and what it holds: keys to remove, values to (re)apply. Values
 * equal on both sides are left alone, which is what keeps a pass from repeating work.
 */
record PortDiff<K, V>(List<K> removed, List<V> applied) {
    static <K extends Comparable<K>, V> PortDiff<K, V> of(Map<K, V> desired, Map<K, V> actual) {
        var removed = actual.keySet().stream()
                .filter(k -> !desired.containsKey(k))
                .sorted()
                .toList();
        var applied = desired.entrySet().stream()
                .filter(e -> !Objects.equals(actual.get(e.getKey()), e.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .map(Map.Entry::getValue)
                .toList();
        return new PortDiff<>(removed, applied);
    }
}
