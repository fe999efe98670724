package io.meshgw.operator.desired;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What differs between two lists of the same objects read at two moments: the elements only the first has, and those
 * only the second has. Objects of an informer cache compare by identity (a changed object is a new instance); values
 * such as other clusters' exports compare by {@code equals}.
 *
 * <p>A cache lists its objects in much the same order each time, so the common head and tail are matched in place
 * and, where the middle is the same length, element by element; only a middle that moved is matched by hashing. One
 * changed object in 65,536 costs a walk of references, not a map of the list.
 */
record ListChanges<T>(List<T> removed, List<T> added) {

    private static final ListChanges<?> NONE = new ListChanges<>(List.of(), List.of());

    @SuppressWarnings("unchecked")
    static <T> ListChanges<T> none() {
        return (ListChanges<T>) NONE;
    }

    boolean isEmpty() {
        return removed.isEmpty() && added.isEmpty();
    }

    /** Whether two lists hold the same instances in the same order. */
    static boolean sameInstances(List<?> a, List<?> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) return false;
        }
        return true;
    }

    /** Elements compared by identity. */
    static <T> ListChanges<T> byIdentity(List<T> before, List<T> after) {
        return between(before, after, true);
    }

    /** Elements compared by {@code equals}. */
    static <T> ListChanges<T> byEquality(List<T> before, List<T> after) {
        return between(before, after, false);
    }

    private static <T> ListChanges<T> between(List<T> before, List<T> after, boolean identity) {
        if (before == after) {
            return none();
        }
        int head = 0;
        int common = Math.min(before.size(), after.size());
        while (head < common && same(before.get(head), after.get(head), identity)) {
            head++;
        }
        int tail = 0;
        while (tail < common - head
                && same(before.get(before.size() - 1 - tail), after.get(after.size() - 1 - tail), identity)) {
            tail++;
        }
        List<T> oldMiddle = before.subList(head, before.size() - tail);
        List<T> newMiddle = after.subList(head, after.size() - tail);
        if (oldMiddle.isEmpty() && newMiddle.isEmpty()) {
            return none();
        }
        if (oldMiddle.size() == newMiddle.size()) {
            var removed = new ArrayList<T>();
            var added = new ArrayList<T>();
            // Replaced in place, as a cache does when an object changes: few enough mismatches to pair up directly.
            int limit = 16 + oldMiddle.size() / 16;
            for (int i = 0; i < oldMiddle.size() && removed.size() <= limit; i++) {
                if (!same(oldMiddle.get(i), newMiddle.get(i), identity)) {
                    removed.add(oldMiddle.get(i));
                    added.add(newMiddle.get(i));
                }
            }
            if (removed.size() <= limit) {
                return new ListChanges<>(List.copyOf(removed), List.copyOf(added));
            }
        }
        return hashed(oldMiddle, newMiddle, identity);
    }

    /** A multiset difference: an element listed twice on one side and once on the other counts once. */
    private static <T> ListChanges<T> hashed(List<T> before, List<T> after, boolean identity) {
        Map<T, Integer> counts = identity ? new IdentityHashMap<>() : new HashMap<>();
        before.forEach(t -> counts.merge(t, 1, Integer::sum));
        var added = new ArrayList<T>();
        for (T t : after) {
            Integer n = counts.get(t);
            if (n == null) {
                added.add(t);
            } else if (n == 1) {
                counts.remove(t);
            } else {
                counts.put(t, n - 1);
            }
        }
        var removed = new ArrayList<T>();
        for (T t : before) {
            Integer n = counts.get(t);
            if (n != null) {
                removed.add(t);
                if (n == 1) {
                    counts.remove(t);
                } else {
                    counts.put(t, n - 1);
                }
            }
        }
        return new ListChanges<>(List.copyOf(removed), List.copyOf(added));
    }

    private static boolean same(Object a, Object b, boolean identity) {
        return a == b || (!identity && a.equals(b));
    }
}
