package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which (VIP, port) pairs name each IPv4 backend tuple (address, port, protocol), and so what {@code mgw_rev_v1}
 * holds: a tuple one pair alone names maps to that pair; a tuple two or more pairs name is <em>ambiguous</em> and left
 * out, since a reply from it cannot be told apart without conntrack. Each pair counts how many slots of its service
 * name the tuple, so that a service's piece can be taken away again exactly. IPv6 services claim nothing.
 */
final class ReplyClaims {

    /** Per tuple, each pair naming it and how many times; values are never changed in place. */
    private final Map<RevKey, Map<RevValue, Integer>> claims = new HashMap<>();

    private int ambiguous;

    /**
     * What a change does to the claims: the tuples it touches with their claims after it (empty: none any more), the
     * map writes that follow, and how many tuples are ambiguous after it.
     */
    record Update(
            Map<RevKey, Map<RevValue, Integer>> claims,
            Map<RevKey, RevValue> upserts,
            Set<RevKey> removals,
            int ambiguous) {}

    /** Every tuple of the pieces (of one table), counted. */
    static ReplyClaims of(Iterable<ServicePiece> pieces) {
        ReplyClaims c = new ReplyClaims();
        pieces.forEach(c::add);
        return c;
    }

    /** Adds a piece's claims. */
    void add(ServicePiece piece) {
        forEachClaim(piece, (k, v) -> {
            Map<RevValue, Integer> before = claims.get(k);
            Map<RevValue, Integer> after = plus(before, v, 1);
            ambiguous += (after.size() > 1 ? 1 : 0) - (before != null && before.size() > 1 ? 1 : 0);
            claims.put(k, after);
        });
    }

    /** The content of mgw_rev_v1. */
    Map<RevKey, RevValue> entries() {
        Map<RevKey, RevValue> out = HashMap.newHashMap(claims.size());
        claims.forEach((k, c) -> {
            RevValue v = entry(c);
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** Backend tuples that two or more (VIP, port) pairs name, left out of the map. */
    int ambiguous() {
        return ambiguous;
    }

    /**
     * What adding {@code deltas} (per tuple, per pair: slots added less slots taken away) does; nothing is changed
     * until {@link #commit}.
     */
    Update update(Map<RevKey, Map<RevValue, Integer>> deltas) {
        Map<RevKey, Map<RevValue, Integer>> after = HashMap.newHashMap(deltas.size());
        Map<RevKey, RevValue> upserts = new HashMap<>();
        Set<RevKey> removals = new HashSet<>();
        int ambiguousAfter = ambiguous;
        for (var e : deltas.entrySet()) {
            RevKey k = e.getKey();
            Map<RevValue, Integer> before = claims.getOrDefault(k, Map.of());
            Map<RevValue, Integer> now = before;
            for (var d : e.getValue().entrySet()) {
                now = plus(now, d.getKey(), d.getValue());
            }
            if (now.equals(before)) {
                continue;
            }
            after.put(k, now);
            ambiguousAfter += (now.size() > 1 ? 1 : 0) - (before.size() > 1 ? 1 : 0);
            RevValue was = entry(before);
            RevValue is = entry(now);
            if (is != null && !is.equals(was)) {
                upserts.put(k, is);
            } else if (is == null && was != null) {
                removals.add(k);
            }
        }
        return new Update(after, upserts, removals, ambiguousAfter);
    }

    /** Remembers what {@code u} computed. */
    void commit(Update u) {
        u.claims().forEach((k, c) -> {
            if (c.isEmpty()) {
                claims.remove(k);
            } else {
                claims.put(k, c);
            }
        });
        ambiguous = u.ambiguous();
    }

    /** Hands each IPv4 backend slot of the piece to {@code action} as a (tuple, pair) claim. */
    static void forEachClaim(ServicePiece piece, BiConsumer<RevKey, RevValue> action) {
        if (!(piece.key() instanceof SvcKey svc)) {
            return;
        }
        RevValue pair = new RevValue(svc.vip(), svc.port());
        for (BackendEntry b : piece.backends()) {
            if (b instanceof BackendValue v4) {
                action.accept(new RevKey(v4.addr(), v4.port(), svc.proto()), pair);
            }
        }
    }

    /** Adds a claim's delta to a piece's claims ({@code deltas} as {@link #update} takes them). */
    static void delta(Map<RevKey, Map<RevValue, Integer>> deltas, RevKey k, RevValue v, int by) {
        deltas.computeIfAbsent(k, x -> new HashMap<>()).merge(v, by, Integer::sum);
    }

    /** The entry of a tuple with these claims: its one pair, or null when none or several name it. */
    private static RevValue entry(Map<RevValue, Integer> c) {
        return c != null && c.size() == 1 ? c.keySet().iterator().next() : null;
    }

    private static Map<RevValue, Integer> plus(Map<RevValue, Integer> c, RevValue v, int by) {
        int n = (c == null ? 0 : c.getOrDefault(v, 0)) + by;
        if (n < 0) {
            throw new IllegalStateException("a claim on a backend tuple was taken away more often than made: " + v);
        }
        if (c == null || c.isEmpty()) {
            return n == 0 ? Map.of() : Map.of(v, n);
        }
        if (c.size() == 1 && c.containsKey(v)) {
            return n == 0 ? Map.of() : Map.of(v, n);
        }
        Map<RevValue, Integer> m = new HashMap<>(c);
        if (n == 0) {
            m.remove(v);
        } else {
            m.put(v, n);
        }
        return Map.copyOf(m);
    }
}
