package io.meshgw.bpf.datapath;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * One kind of id (service or backend) and what holds each: ids from 1 to below {@code limit},
 * handed out in a rising sequence that wraps around to the ids freed meanwhile.
 */
final class IdSpace<K> {

    private final String kind;
    private final int limit;
    private final Map<K, Integer> ids = new HashMap<>();
    private final Set<Integer> used = new HashSet<>();
    private int next = 1;

    IdSpace(String kind, int limit) {
        this.kind = kind;
        this.limit = limit;
    }

    /** The id {@code key} holds, taking the next free one if it holds none. */
    int idOf(K key) {
        return ids.computeIfAbsent(key, k -> take());
    }

    private int take() {
        if (used.size() >= limit - 1) {
            throw new IllegalStateException("all " + (limit - 1) + " " + kind + " ids are in use");
        }
        // Freed ids are reused after a wrap: a flow still naming one is caught by the program,
        // which checks the backend's address and port, not just its id.
        int id = next >= limit ? 1 : next;
        while (used.contains(id)) {
            id = id == limit - 1 ? 1 : id + 1;
        }
        used.add(id);
        next = id + 1;
        return id;
    }

    /** {@code key} holds {@code id} already (found in a pinned map); the sequence goes on after it. */
    void adopt(K key, int id) {
        ids.put(key, id);
        used.add(id);
        next = Math.max(next, id + 1);
    }

    void release(K key) {
        Integer id = ids.remove(key);
        if (id != null) {
            used.remove(id);
        }
    }

    /** Frees the ids whose holder is no longer {@code live}. */
    void retain(BiPredicate<K, Integer> live) {
        ids.entrySet().removeIf(e -> {
            boolean dead = !live.test(e.getKey(), e.getValue());
            if (dead) {
                used.remove(e.getValue());
            }
            return dead;
        });
    }
}
