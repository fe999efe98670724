package io.meshgw.bgp.rib;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares one instance per distinct value (path attributes repeat across thousands of prefixes),
 * with reference counts so values that no route uses any more are released. Not thread-safe: the
 * RIB that owns it runs on one thread.
 */
public final class Interner<T> {

    private static final class Slot<T> {
        final T value;
        long refs;

        Slot(T value) {
            this.value = value;
        }
    }

    private final Map<T, Slot<T>> slots = new HashMap<>();

    /** Returns the shared instance equal to {@code value} and counts one more user. */
    public T acquire(T value) {
        Slot<T> s = slots.computeIfAbsent(value, Slot::new);
        s.refs++;
        return s.value;
    }

    /** Counts one user less; the value is forgotten when nobody uses it. */
    public void release(T value) {
        Slot<T> s = slots.get(value);
        if (s == null) {
            throw new IllegalStateException("release of a value that was never acquired: " + value);
        }
        if (--s.refs == 0) {
            slots.remove(value);
        }
    }

    /** Distinct values held. */
    public int size() {
        return slots.size();
    }
}
