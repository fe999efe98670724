package io.meshgw.bpf.datapath;

import io.meshgw.bpf.datapath.MapRecords.Backend6Value;
import io.meshgw.bpf.datapath.MapRecords.BackendEntry;
import io.meshgw.bpf.datapath.MapRecords.BackendValue;
import io.meshgw.bpf.datapath.MapRecords.ReplyKey;
import io.meshgw.bpf.datapath.MapRecords.ReplyValue;
import io.meshgw.bpf.datapath.MapRecords.Rev6Key;
import io.meshgw.bpf.datapath.MapRecords.Rev6Value;
import io.meshgw.bpf.datapath.MapRecords.RevKey;
import io.meshgw.bpf.datapath.MapRecords.RevValue;
import io.meshgw.bpf.datapath.MapRecords.Svc6Key;
import io.meshgw.bpf.datapath.MapRecords.SvcKey;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Which (VIP, port) pairs name each backend tuple (address, port, protocol), and so what {@code mgw_rev_v1} and
 * {@code mgw_rev6_v1} hold: a tuple one pair alone names maps to that pair; a tuple two or more pairs name is
 * <em>ambiguous</em> and left out, since a reply from it cannot be told apart without conntrack. Each pair counts how
 * many slots of its service name the tuple, so that a service's piece can be taken away again exactly. A service
 * claims tuples of its own family.
 */
final class ReplyClaims {

    /** Per tuple, each pair naming it and how many times; values are never changed in place. */
    private final Map<ReplyKey, Map<ReplyValue, Integer>> claims = new HashMap<>();

    private int ambiguous;

    /**
     * What a change does to the claims: the tuples it touches with their claims after it (empty: none any more), the
     * map writes that follow, and how many tuples are ambiguous after it.
     */
    record Update(
            Map<ReplyKey, Map<ReplyValue, Integer>> claims,
            Map<ReplyKey, ReplyValue> upserts,
            Set<ReplyKey> removals,
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
            Map<ReplyValue, Integer> before = claims.get(k);
            Map<ReplyValue, Integer> after = plus(before, v, 1);
            ambiguous += (after.size() > 1 ? 1 : 0) - (before != null && before.size() > 1 ? 1 : 0);
            claims.put(k, after);
        });
    }

    /** The content of mgw_rev_v1 and mgw_rev6_v1, both families in one map. */
    Map<ReplyKey, ReplyValue> entries() {
        Map<ReplyKey, ReplyValue> out = HashMap.newHashMap(claims.size());
        claims.forEach((k, c) -> {
            ReplyValue v = entry(c);
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
    Update update(Map<ReplyKey, Map<ReplyValue, Integer>> deltas) {
        Map<ReplyKey, Map<ReplyValue, Integer>> after = HashMap.newHashMap(deltas.size());
        Map<ReplyKey, ReplyValue> upserts = new HashMap<>();
        Set<ReplyKey> removals = new HashSet<>();
        int ambiguousAfter = ambiguous;
        for (var e : deltas.entrySet()) {
            ReplyKey k = e.getKey();
            Map<ReplyValue, Integer> before = claims.getOrDefault(k, Map.of());
            Map<ReplyValue, Integer> now = before;
            for (var d : e.getValue().entrySet()) {
                now = plus(now, d.getKey(), d.getValue());
            }
            if (now.equals(before)) {
                continue;
            }
            after.put(k, now);
            ambiguousAfter += (now.size() > 1 ? 1 : 0) - (before.size() > 1 ? 1 : 0);
            ReplyValue was = entry(before);
            ReplyValue is = entry(now);
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

    /** Hands each backend slot of the piece to {@code action} as a (tuple, pair) claim, in the service's family. */
    static void forEachClaim(ServicePiece piece, BiConsumer<ReplyKey, ReplyValue> action) {
        switch (piece.key()) {
            case SvcKey svc -> {
                ReplyValue pair = new RevValue(svc.vip(), svc.port());
                for (BackendEntry b : piece.backends()) {
                    if (b instanceof BackendValue v4) {
                        action.accept(new RevKey(v4.addr(), v4.port(), svc.proto()), pair);
                    }
                }
            }
            case Svc6Key svc -> {
                ReplyValue pair = new Rev6Value(svc.vip(), svc.port());
                for (BackendEntry b : piece.backends()) {
                    if (b instanceof Backend6Value v6) {
                        action.accept(new Rev6Key(v6.addr(), v6.port(), svc.proto()), pair);
                    }
                }
            }
        }
    }

    /** Adds a claim's delta to a piece's claims ({@code deltas} as {@link #update} takes them). */
    static void delta(Map<ReplyKey, Map<ReplyValue, Integer>> deltas, ReplyKey k, ReplyValue v, int by) {
        deltas.computeIfAbsent(k, x -> new HashMap<>()).merge(v, by, Integer::sum);
    }

    /** The entry of a tuple with these claims: its one pair, or null when none or several name it. */
    private static ReplyValue entry(Map<ReplyValue, Integer> c) {
        return c != null && c.size() == 1 ? c.keySet().iterator().next() : null;
    }

    private static Map<ReplyValue, Integer> plus(Map<ReplyValue, Integer> c, ReplyValue v, int by) {
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
        Map<ReplyValue, Integer> m = new HashMap<>(c);
        if (n == 0) {
            m.remove(v);
        } else {
            m.put(v, n);
        }
        return Map.copyOf(m);
    }
}
