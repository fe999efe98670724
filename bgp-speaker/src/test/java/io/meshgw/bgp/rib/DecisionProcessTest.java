package io.meshgw.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class DecisionProcessTest {

    record P(String name, PathRank rank) implements RankedPath {}

    /** A learned eBGP path from peer {@code peer} with neutral attributes. */
    private static PathRank base(long peer) {
        return new PathRank(false, 100, 2, 0, 0, 65001, true, 0, peer, peer, 0);
    }

    private static String best(P... paths) {
        List<P> l = List.of(paths);
        return l.get(DecisionProcess.best(l)).name();
    }

    private static PathRank with(PathRank r, String field, long v) {
        return new PathRank(
                field.equals("local") ? v != 0 : r.locallyOriginated(),
                field.equals("lp") ? v : r.localPref(),
                field.equals("len") ? (int) v : r.asPathLength(),
                field.equals("origin") ? (int) v : r.origin(),
                field.equals("med") ? v : r.med(),
                field.equals("nas") ? v : r.neighborAs(),
                field.equals("ebgp") ? v != 0 : r.ebgp(),
                field.equals("igp") ? v : r.igpCost(),
                field.equals("rid") ? v : r.routerId(),
                field.equals("addr") ? v : r.peerAddress(),
                r.peerAddressHigh());
    }

    @Test
    void noPathsHaveNoBest() {
        assertThat(DecisionProcess.best(List.<P>of())).isEqualTo(-1);
    }

    @Test
    void locallyOriginatedBeatsAnyLearnedPath() {
        assertThat(best(new P("learned", with(base(1), "lp", 500)), new P("local", with(base(2), "local", 1))))
                .isEqualTo("local");
    }

    @Test
    void higherLocalPrefWins() {
        assertThat(best(new P("a", base(1)), new P("b", with(base(2), "lp", 200))))
                .isEqualTo("b");
    }

    @Test
    void shorterAsPathWinsAtEqualLocalPref() {
        assertThat(best(new P("a", with(base(1), "len", 3)), new P("b", with(base(2), "len", 1))))
                .isEqualTo("b");
    }

    @Test
    void lowerOriginWins() {
        assertThat(best(new P("incomplete", with(base(1), "origin", 2)), new P("igp", base(2))))
                .isEqualTo("igp");
    }

    @Test
    void lowerMedWinsOnlyWithinTheSameNeighborAs() {
        assertThat(best(new P("hi", with(base(1), "med", 50)), new P("lo", with(base(2), "med", 10))))
                .isEqualTo("lo");
        // Different neighbouring AS: MED is not compared, the lower router id decides.
        PathRank fromOtherAs = with(with(base(2), "med", 10), "nas", 65002);
        assertThat(best(new P("hi", with(base(1), "med", 50)), new P("otherAs", fromOtherAs)))
                .isEqualTo("hi");
    }

    @Test
    void ebgpBeatsIbgp() {
        assertThat(best(new P("ibgp", with(base(1), "ebgp", 0)), new P("ebgp", base(2))))
                .isEqualTo("ebgp");
    }

    @Test
    void lowerIgpCostThenRouterIdThenPeerAddressBreakTies() {
        assertThat(best(new P("far", with(base(1), "igp", 10)), new P("near", base(2))))
                .isEqualTo("near");
        assertThat(best(new P("r9", base(9)), new P("r3", base(3)))).isEqualTo("r3");
        PathRank sameRid = with(base(5), "addr", 20);
        assertThat(best(new P("addr20", sameRid), new P("addr7", with(base(5), "addr", 7))))
                .isEqualTo("addr7");
    }

    @Test
    void routerIdsCompareAsUnsigned() {
        // 200.0.0.1 is above 10.0.0.1 as an unsigned 32-bit number
        assertThat(best(new P("200", base(0xC8000001L)), new P("10", base(0x0A000001L))))
                .isEqualTo("10");
    }

    /** The elimination procedure must not depend on the order paths arrived in (MED is not a total order). */
    @RepeatedTest(200)
    void theBestPathDoesNotDependOnArrivalOrder(RepetitionInfo info) {
        Random rnd = new Random(info.getCurrentRepetition());
        List<P> paths = new ArrayList<>();
        int n = 2 + rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            paths.add(new P(
                    "p" + i,
                    new PathRank(
                            false,
                            100 + rnd.nextInt(2) * 50,
                            1 + rnd.nextInt(3),
                            rnd.nextInt(3),
                            rnd.nextInt(3) * 10,
                            65001 + rnd.nextInt(3),
                            rnd.nextBoolean(),
                            0,
                            i + 1,
                            i + 1,
                            0)));
        }
        String expected = paths.get(DecisionProcess.best(paths)).name();
        for (int k = 0; k < 10; k++) {
            Collections.shuffle(paths, rnd);
            assertThat(paths.get(DecisionProcess.best(paths)).name()).isEqualTo(expected);
        }
    }
}
