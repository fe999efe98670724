package io.meshgw.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionProcessTest {

    record P(String name, PathRank rank) implements RankedPath {}

    /** The decision-process inputs of one path, with neutral defaults, built field by field. */
    record R(
            boolean local,
            long localPref,
            int asPathLength,
            int origin,
            long med,
            long neighborAs,
            boolean ebgp,
            long igpCost,
            long routerId,
            String peer) {

        static R neutral() {
            return new R(false, 100, 2, 0, 0, 65001, true, 0, 0x0A000001L, "10.0.0.1");
        }

        R local(boolean v) {
            return new R(v, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, routerId, peer);
        }

        R localPref(long v) {
            return new R(local, v, asPathLength, origin, med, neighborAs, ebgp, igpCost, routerId, peer);
        }

        R asPathLength(int v) {
            return new R(local, localPref, v, origin, med, neighborAs, ebgp, igpCost, routerId, peer);
        }

        R origin(int v) {
            return new R(local, localPref, asPathLength, v, med, neighborAs, ebgp, igpCost, routerId, peer);
        }

        R med(long v) {
            return new R(local, localPref, asPathLength, origin, v, neighborAs, ebgp, igpCost, routerId, peer);
        }

        R neighborAs(long v) {
            return new R(local, localPref, asPathLength, origin, med, v, ebgp, igpCost, routerId, peer);
        }

        R ebgp(boolean v) {
            return new R(local, localPref, asPathLength, origin, med, neighborAs, v, igpCost, routerId, peer);
        }

        R igpCost(long v) {
            return new R(local, localPref, asPathLength, origin, med, neighborAs, ebgp, v, routerId, peer);
        }

        R routerId(long v) {
            return new R(local, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, v, peer);
        }

        R peer(String v) {
            return new R(local, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, routerId, v);
        }

        PathRank rank() {
            long[] key = addressKey(peer);
            return new PathRank(
                    local, localPref, asPathLength, origin, med, neighborAs, ebgp, igpCost, routerId, key[1], key[0]);
        }
    }

    /**
     * A peer address as the speaker keys it for the last tie-break: {high, low} 64 bits of the
     * address as an unsigned number, IPv4 in the low 32 bits.
     */
    static long[] addressKey(String literal) {
        byte[] b = InetAddress.ofLiteral(literal).getAddress();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < b.length; i++) {
            if (b.length == 16 && i < 8) {
                hi = hi << 8 | (b[i] & 0xFF);
            } else {
                lo = lo << 8 | (b[i] & 0xFF);
            }
        }
        return new long[] {hi, lo};
    }

    private static String best(P... paths) {
        List<P> l = List.of(paths);
        return l.get(DecisionProcess.best(l)).name();
    }

    /** The winner in both arrival orders, which must agree. */
    private static String bestOf(R a, R b) {
        String first = best(new P("a", a.rank()), new P("b", b.rank()));
        String second = best(new P("b", b.rank()), new P("a", a.rank()));
        assertThat(second).as("the winner must not depend on arrival order").isEqualTo(first);
        return first;
    }

    private static List<String> multipath(R... ranks) {
        List<P> l = new ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            l.add(new P("p" + i, ranks[i].rank()));
        }
        return DecisionProcess.multipath(l, DecisionProcess.best(l)).stream()
                .map(i -> l.get(i).name())
                .toList();
    }

    @Test
    void pathsEqualToTheBestUpToTheIgpCostAreForwardedOverTogetherBestFirst() {
        R base = R.neutral();
        assertThat(multipath(
                        base.routerId(3).peer("10.0.0.3"),
                        base.routerId(1).peer("10.0.0.1"),
                        base.routerId(2).peer("10.0.0.2")))
                .as("best (lowest router id) first, then the others by router id")
                .containsExactly("p1", "p2", "p0");
        assertThat(multipath()).isEmpty();
        assertThat(multipath(base)).containsExactly("p0");
    }

    /** The rungs before the BGP identifier: the last two only order paths that are forwarded over together. */
    static Stream<Rung> ladderBeforeTheIdentifier() {
        return ladder().limit(7);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ladderBeforeTheIdentifier")
    void aPathThatLosesBeforeTheRouterIdIsNotForwardedOver(Rung rung) {
        assertThat(multipath(rung.winner(), rung.loser())).as(rung.step()).containsExactly("p0");
    }

    @Test
    void aLocallyOriginatedBestIsAloneAndAnotherNeighborAsIsNotMixedIn() {
        R base = R.neutral();
        assertThat(multipath(base.local(true), base.routerId(5))).containsExactly("p0");
        assertThat(multipath(base.routerId(1), base.routerId(2).neighborAs(65002)))
                .as("MEDs of two neighboring ASes were never compared")
                .containsExactly("p0");
    }

    @Test
    void noPathsHaveNoBestAndOnePathIsBest() {
        assertThat(DecisionProcess.best(List.<P>of())).isEqualTo(-1);
        assertThat(DecisionProcess.best(List.of(new P("only", R.neutral().rank()))))
                .isZero();
    }

    /**
     * One rung per step of RFC 4271 §9.1.2.2 (and the local-origin step before it): {@code winner}
     * is better at that step, equal at every earlier one and worse at every later one. So the
     * winner only wins if the steps run in exactly this order: skipping the step, or moving any
     * later step in front of it, makes the loser win.
     */
    record Rung(String step, R winner, R loser) {
        @Override
        public String toString() {
            return step;
        }
    }

    /** Worse than neutral at every step from {@code from} on (steps numbered as in {@link #ladder}). */
    private static R worseFrom(int from, R r) {
        if (from <= 1) {
            r = r.local(false);
        }
        if (from <= 2) {
            r = r.localPref(50);
        }
        if (from <= 3) {
            r = r.asPathLength(5);
        }
        if (from <= 4) {
            r = r.origin(2);
        }
        if (from <= 5) {
            r = r.med(500);
        }
        if (from <= 6) {
            r = r.ebgp(false);
        }
        if (from <= 7) {
            r = r.igpCost(50);
        }
        if (from <= 8) {
            r = r.routerId(0xC0000201L); // 192.0.2.1, above 10.0.0.1
        }
        return r.peer("2001:db8::99"); // IPv6, so above any IPv4 peer
    }

    static Stream<Rung> ladder() {
        R n = R.neutral();
        return Stream.of(
                new Rung("locally originated", worseFrom(2, n.local(true)), n),
                new Rung("higher LOCAL_PREF", worseFrom(3, n.localPref(200)), n),
                new Rung("shorter AS_PATH", worseFrom(4, n.asPathLength(1)), n),
                new Rung("lower ORIGIN", worseFrom(5, n.origin(0)), n.origin(1)),
                new Rung("lower MED, same neighbor AS", worseFrom(6, n.med(10)), n.med(20)),
                new Rung("eBGP over iBGP", worseFrom(7, n.ebgp(true)), n.ebgp(false)),
                new Rung("lower IGP cost", worseFrom(8, n.igpCost(1)), n.igpCost(2)),
                new Rung("lower BGP identifier", n.routerId(1).peer("2001:db8::99"), n.routerId(2)),
                new Rung("lower peer address", n.peer("10.0.0.1"), n.peer("10.0.0.2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ladder")
    void eachStepDecidesBeforeEveryLaterOne(Rung rung) {
        assertThat(bestOf(rung.winner(), rung.loser())).as(rung.step()).isEqualTo("a");
    }

    @Test
    void localPrefIsComparedBeforeAsPathLength() {
        // The order real networks rely on: a preferred exit wins even over a longer path.
        R preferred = R.neutral().localPref(200).asPathLength(6);
        R shorter = R.neutral().asPathLength(1).peer("10.0.0.2");
        assertThat(bestOf(preferred, shorter)).isEqualTo("a");
    }

    @Test
    void lowerMedWinsOnlyWithinTheSameNeighborAs() {
        R high = R.neutral().med(50).routerId(1);
        R low = R.neutral().med(10).routerId(2).peer("10.0.0.2");
        assertThat(bestOf(high, low)).isEqualTo("b");
        // From another neighbouring AS the MEDs are not compared: the lower identifier decides.
        assertThat(bestOf(high, low.neighborAs(65002))).isEqualTo("a");
    }

    @Test
    void aPathLosesOnMedOnlyToItsOwnNeighborAs() {
        // a (AS 65001, MED 50) loses to b (AS 65001, MED 10); c (AS 65002, MED 90) is not compared
        // on MED with either, and wins over b on the BGP identifier.
        P a = new P("a", R.neutral().med(50).routerId(1).rank());
        P b = new P("b", R.neutral().med(10).routerId(3).peer("10.0.0.3").rank());
        P c = new P(
                "c",
                R.neutral()
                        .med(90)
                        .neighborAs(65002)
                        .routerId(2)
                        .peer("10.0.0.2")
                        .rank());
        assertThat(best(a, b, c)).isEqualTo("c");
        assertThat(best(c, b, a)).isEqualTo("c");
        // Without c, b wins on MED although a has the lower identifier.
        assertThat(best(a, b)).isEqualTo("b");
    }

    @Test
    void theMedStepKeepsEveryPathThatHasTheLowestMedOfItsAs() {
        P a = new P("a", R.neutral().med(10).routerId(3).rank());
        P b = new P("b", R.neutral().med(10).routerId(2).peer("10.0.0.2").rank());
        P c = new P(
                "c",
                R.neutral()
                        .med(5)
                        .neighborAs(65002)
                        .routerId(4)
                        .peer("10.0.0.4")
                        .rank());
        assertThat(best(a, b, c)).isEqualTo("b");
    }

    @Test
    void routerIdsAndPreferencesCompareAsUnsigned32BitValues() {
        // 200.0.0.1 is above 10.0.0.1 as an unsigned 32-bit number
        assertThat(bestOf(R.neutral().routerId(0xC8000001L), R.neutral().routerId(0x0A000001L)))
                .isEqualTo("b");
        assertThat(bestOf(R.neutral().localPref(0xFFFFFFFFL), R.neutral().localPref(0)))
                .isEqualTo("a");
        assertThat(bestOf(R.neutral().med(0xFFFFFFFFL), R.neutral().med(0).peer("10.0.0.2")))
                .isEqualTo("b");
    }

    @Test
    void ipv6PeerAddressesCompareAsUnsignedBytes() {
        // RFC 4271 §9.1.2.2 (g): the lowest address. fd00::1 starts with 0xfd, above 0x20.
        R base = R.neutral();
        assertThat(bestOf(base.peer("fd00::1"), base.peer("2001:db8::1"))).isEqualTo("b");
        // The low 64 bits too: 2001:db8::8000:0:0:1 is above 2001:db8::1
        assertThat(bestOf(base.peer("2001:db8::8000:0:0:1"), base.peer("2001:db8::1")))
                .isEqualTo("b");
        assertThat(bestOf(base.peer("2001:db8::1:0:0:0"), base.peer("2001:db8::ffff:ffff:ffff")))
                .isEqualTo("b");
        assertThat(bestOf(base.peer("10.255.0.1"), base.peer("10.0.0.1"))).isEqualTo("b");
        // and above 0x7f... as signed: 128.0.0.1 vs 127.0.0.1 stays numeric
        assertThat(bestOf(base.peer("128.0.0.1"), base.peer("127.0.0.1"))).isEqualTo("b");
    }

    @Test
    void ipv4PeersComeBeforeIpv6Peers() {
        R base = R.neutral();
        assertThat(bestOf(base.peer("2001:db8::1"), base.peer("255.255.255.255")))
                .isEqualTo("b");
        assertThat(bestOf(base.peer("fd00::1"), base.peer("192.0.2.1"))).isEqualTo("b");
    }

    @Test
    void ranksRejectValuesTheProtocolCannotCarry() {
        R n = R.neutral();
        assertThat(n.origin(2).rank().origin()).isEqualTo(2);
        assertThat(n.origin(0).rank().origin()).isZero();
        assertThatThrownBy(() -> n.origin(3).rank()).hasMessageContaining("origin must be 0");
        assertThatThrownBy(() -> n.origin(-1).rank()).hasMessageContaining("was -1");
        assertThat(n.asPathLength(0).rank().asPathLength()).isZero();
        assertThatThrownBy(() -> n.asPathLength(-1).rank()).hasMessageContaining("asPathLength");
    }

    /**
     * With a single neighboring AS, MED is a total order and the elimination procedure must pick
     * the path a plain lexicographic comparison over the steps puts first; whatever the neighbors,
     * the result must not depend on the order the paths arrived in.
     */
    @Test
    void randomPathSetsAgreeWithTheLexicographicOrderAndNotWithArrivalOrder() {
        Comparator<PathRank> lexicographic = Comparator.<PathRank, Boolean>comparing(r -> !r.locallyOriginated())
                .thenComparing(r -> -r.localPref())
                .thenComparingInt(PathRank::asPathLength)
                .thenComparingInt(PathRank::origin)
                .thenComparingLong(PathRank::med)
                .thenComparing(r -> !r.ebgp())
                .thenComparingLong(PathRank::igpCost)
                .thenComparingLong(PathRank::routerId)
                .thenComparing(r -> r.peerAddressHigh(), Long::compareUnsigned)
                .thenComparing(r -> r.peerAddress(), Long::compareUnsigned);
        Random rnd = new Random(20260601);
        String[] peers = {"10.0.0.1", "10.0.0.2", "192.0.2.7", "2001:db8::1", "fd00::1", "2001:db8::8000:0:0:1"};
        for (int round = 0; round < 300; round++) {
            boolean oneNeighborAs = round % 2 == 0;
            List<P> paths = new ArrayList<>();
            int n = 2 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                R r = new R(
                        rnd.nextInt(8) == 0,
                        100 + rnd.nextInt(2) * 50,
                        1 + rnd.nextInt(3),
                        rnd.nextInt(3),
                        rnd.nextInt(3) * 10,
                        oneNeighborAs ? 65001 : 65001 + rnd.nextInt(3),
                        rnd.nextBoolean(),
                        rnd.nextInt(2),
                        1 + rnd.nextInt(3),
                        peers[i % peers.length]);
                paths.add(new P("p" + i, r.rank()));
            }
            String expected = paths.get(DecisionProcess.best(paths)).name();
            if (oneNeighborAs) {
                P min = paths.stream()
                        .min(Comparator.comparing(P::rank, lexicographic))
                        .orElseThrow();
                assertThat(expected).as("round %d: %s", round, paths).isEqualTo(min.name());
            }
            for (int k = 0; k < 3; k++) {
                Collections.shuffle(paths, rnd);
                assertThat(paths.get(DecisionProcess.best(paths)).name())
                        .as("round %d", round)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void twoPathsAreComparedExactlyAsTheEliminationProcedureWould() {
        Random rnd = new Random(4271);
        String[] peers = {"10.0.0.1", "10.0.0.2", "2001:db8::1", "fd00::1"};
        for (int round = 0; round < 20_000; round++) {
            List<P> two = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                R r = new R(
                        rnd.nextInt(6) == 0,
                        100 + rnd.nextInt(2) * 50,
                        1 + rnd.nextInt(2),
                        rnd.nextInt(2),
                        rnd.nextInt(2) * 10,
                        65001 + rnd.nextInt(2),
                        rnd.nextBoolean(),
                        rnd.nextInt(2),
                        1 + rnd.nextInt(2),
                        peers[rnd.nextInt(peers.length)]);
                two.add(new P("p" + i, r.rank()));
            }
            assertThat(DecisionProcess.best(two))
                    .as("round %d: %s", round, two)
                    .isEqualTo(DecisionProcess.byElimination(two));
        }
    }
}
