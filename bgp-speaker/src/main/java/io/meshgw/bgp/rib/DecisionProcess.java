package io.meshgw.bgp.rib;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Best-path selection per RFC 4271 §9.1.2.2, as the elimination procedure the RFC describes
 * (each step removes candidates, in order), which keeps the result independent of the order in
 * which paths arrived even though MED is only comparable within one neighboring AS.
 *
 * <p>Tie-breakers, in order:
 *
 * <ol>
 *   <li>locally originated routes first (the role FRR's weight 32768 and BIRD's preference play);
 *   <li>highest LOCAL_PREF (§9.1.1 degree of preference);
 *   <li>shortest AS_PATH (§9.1.2.2 a);
 *   <li>lowest ORIGIN (b);
 *   <li>lowest MED among paths from the same neighboring AS (c), absent MED counting as 0;
 *   <li>eBGP-learned over iBGP-learned (d);
 *   <li>lowest IGP cost to the next hop (e);
 *   <li>lowest BGP identifier of the advertising speaker (f);
 *   <li>lowest peer address (g), compared as unsigned bytes, IPv4 first.
 * </ol>
 */
public final class DecisionProcess {

    /**
     * §9.1.2.2 (g): the lowest peer address, as an unsigned 128-bit number (both halves compare
     * unsigned: a signed high half would put fd00::/8 before 2001:db8::/32). IPv4 addresses are
     * keyed as (0, address), below every IPv6 address outside ::/96.
     */
    private static final Comparator<PathRank> PEER_ADDRESS = Comparator.comparing(
                    PathRank::peerAddressHigh, Long::compareUnsigned)
            .thenComparing(PathRank::peerAddress, Long::compareUnsigned);

    private DecisionProcess() {}

    /** The index of the best path in {@code paths}, or -1 when there is none. */
    public static int best(List<? extends RankedPath> paths) {
        if (paths.isEmpty()) {
            return -1;
        }
        if (paths.size() == 1) {
            return 0;
        }
        if (paths.size() == 2) { // a prefix with two paths, the usual case of a change of best: no lists
            return secondWins(paths.get(0).rank(), paths.get(1).rank()) ? 1 : 0;
        }
        return byElimination(paths);
    }

    /** The elimination procedure over any number of paths (two or more). */
    static int byElimination(List<? extends RankedPath> paths) {
        List<Integer> c = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            c.add(i);
        }
        keepMax(paths, c, r -> r.locallyOriginated() ? 1 : 0);
        keepMax(paths, c, PathRank::localPref);
        keepMin(paths, c, PathRank::asPathLength);
        keepMin(paths, c, PathRank::origin);
        keepLowestMedPerNeighborAs(paths, c);
        keepMax(paths, c, r -> r.ebgp() ? 1 : 0);
        keepMin(paths, c, PathRank::igpCost);
        keepMin(paths, c, r -> r.routerId());
        c.sort(Comparator.comparing(i -> paths.get(i).rank(), PEER_ADDRESS));
        return c.getFirst();
    }

    /**
     * The elimination procedure for two paths, where it comes down to one comparison, step for step: whether {@code b}
     * eliminates {@code a}. MEDs count only within one neighboring AS, as there.
     */
    private static boolean secondWins(PathRank a, PathRank b) {
        int c = Boolean.compare(b.locallyOriginated(), a.locallyOriginated());
        if (c == 0) {
            c = Long.compare(b.localPref(), a.localPref());
        }
        if (c == 0) {
            c = Integer.compare(a.asPathLength(), b.asPathLength());
        }
        if (c == 0) {
            c = Integer.compare(a.origin(), b.origin());
        }
        if (c == 0 && a.neighborAs() == b.neighborAs()) {
            c = Long.compare(a.med(), b.med());
        }
        if (c == 0) {
            c = Boolean.compare(b.ebgp(), a.ebgp());
        }
        if (c == 0) {
            c = Long.compare(a.igpCost(), b.igpCost());
        }
        if (c == 0) {
            c = Long.compare(a.routerId(), b.routerId());
        }
        if (c == 0) {
            c = PEER_ADDRESS.compare(a, b);
        }
        return c > 0;
    }

    /**
     * The paths to forward over together with the best (multipath): {@code best} first, then every path that ties
     * with it up to and including the IGP cost to the next hop (§9.1.2.2 (e)), from the same neighboring AS (so their
     * MEDs were compared), ordered by the remaining tie-breakers. A locally originated best path is forwarded by
     * nobody: it is alone.
     *
     * @param best the index {@link #best} chose
     * @return indices into {@code paths}, empty when {@code best} is -1
     */
    public static List<Integer> multipath(List<? extends RankedPath> paths, int best) {
        if (best < 0) {
            return List.of();
        }
        PathRank b = paths.get(best).rank();
        if (b.locallyOriginated() || paths.size() == 1) {
            return List.of(best);
        }
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            PathRank r = paths.get(i).rank();
            if (i == best
                    || (!r.locallyOriginated()
                            && r.localPref() == b.localPref()
                            && r.asPathLength() == b.asPathLength()
                            && r.origin() == b.origin()
                            && r.neighborAs() == b.neighborAs()
                            && r.med() == b.med()
                            && r.ebgp() == b.ebgp()
                            && r.igpCost() == b.igpCost())) {
                c.add(i);
            }
        }
        c.sort(Comparator.<Integer>comparingInt(i -> i == best ? 0 : 1)
                .thenComparing(i -> paths.get(i).rank().routerId(), Long::compareUnsigned)
                .thenComparing(i -> paths.get(i).rank(), PEER_ADDRESS));
        return List.copyOf(c);
    }

    private static void keepMax(List<? extends RankedPath> paths, List<Integer> c, ToLongFunction<PathRank> f) {
        if (c.size() < 2) {
            return;
        }
        long max = Long.MIN_VALUE;
        for (int i : c) {
            max = Math.max(max, f.applyAsLong(paths.get(i).rank()));
        }
        long m = max;
        c.removeIf(i -> f.applyAsLong(paths.get(i).rank()) != m);
    }

    private static void keepMin(List<? extends RankedPath> paths, List<Integer> c, ToLongFunction<PathRank> f) {
        if (c.size() < 2) {
            return;
        }
        long min = Long.MAX_VALUE;
        for (int i : c) {
            min = Math.min(min, f.applyAsLong(paths.get(i).rank()));
        }
        long m = min;
        c.removeIf(i -> f.applyAsLong(paths.get(i).rank()) != m);
    }

    /** §9.1.2.2 (c): a path loses only to a lower MED from the same neighboring AS. */
    private static void keepLowestMedPerNeighborAs(List<? extends RankedPath> paths, List<Integer> c) {
        if (c.size() < 2) {
            return;
        }
        Map<Long, Long> lowest = new HashMap<>();
        for (int i : c) {
            PathRank r = paths.get(i).rank();
            lowest.merge(r.neighborAs(), r.med(), Math::min);
        }
        c.removeIf(i -> {
            PathRank r = paths.get(i).rank();
            return r.med() > lowest.get(r.neighborAs());
        });
    }
}
