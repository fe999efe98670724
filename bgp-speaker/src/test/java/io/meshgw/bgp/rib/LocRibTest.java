package io.meshgw.bgp.rib;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocRibTest {

    /** Stand-in attributes: value equality, like the codec's records. */
    record Attrs(String nextHop, long localPref) {}

    private final LocRib<String, Attrs> rib = new LocRib<>();

    private static PathRank rank(int peer, long localPref) {
        return new PathRank(false, localPref, 1, 0, 0, 65000 + peer, true, 0, peer, peer, 0);
    }

    private Optional<BestPathChange<String, Attrs>> learn(int peer, String prefix, long lp) {
        return rib.update(peer, prefix, new Attrs("10.0.0." + peer, lp), rank(peer, lp));
    }

    @Test
    void theFirstPathBecomesBestAndABetterOneReplacesIt() {
        var first = learn(1, "10.1.0.0/24", 100).orElseThrow();
        assertThat(first.before()).isEmpty();
        assertThat(first.now().orElseThrow().peer()).isEqualTo(1);

        var better = learn(2, "10.1.0.0/24", 200).orElseThrow();
        assertThat(better.before().orElseThrow().peer()).isEqualTo(1);
        assertThat(better.now().orElseThrow().peer()).isEqualTo(2);

        assertThat(learn(3, "10.1.0.0/24", 50))
                .as("a worse path changes nothing")
                .isEmpty();
        assertThat(rib.paths("10.1.0.0/24")).extracting(Path::peer).containsExactly(2, 1, 3);
    }

    @Test
    void withdrawingTheBestFallsBackAndTheLastWithdrawRemovesTheDestination() {
        learn(1, "p", 100);
        learn(2, "p", 200);
        var fallback = rib.withdraw(2, "p").orElseThrow();
        assertThat(fallback.now().orElseThrow().peer()).isEqualTo(1);
        var gone = rib.withdraw(1, "p").orElseThrow();
        assertThat(gone.now()).isEmpty();
        assertThat(rib.destinations()).isZero();
        assertThat(rib.withdraw(1, "p")).as("withdrawing what is not there").isEmpty();
    }

    @Test
    void reAdvertisingTheSamePathChangesNothing() {
        learn(1, "p", 100);
        assertThat(learn(1, "p", 100)).isEmpty();
        assertThat(learn(1, "p", 150)).as("new attributes from the same peer").isPresent();
    }

    @Test
    void aSessionDropWithdrawsEverythingOfThatPeerOnly() {
        for (int i = 0; i < 100; i++) {
            learn(1, "a" + i, 100);
            learn(2, "a" + i, 50);
        }
        learn(1, "only1", 100);
        List<BestPathChange<String, Attrs>> changes = rib.withdrawAll(1);
        assertThat(changes).hasSize(101);
        assertThat(changes).filteredOn(c -> c.now().isEmpty()).hasSize(1);
        assertThat(rib.pathsFrom(1)).isZero();
        assertThat(rib.pathsFrom(2)).isEqualTo(100);
        assertThat(rib.best("a7").orElseThrow().peer()).isEqualTo(2);
    }

    @Test
    void gracefulRestartKeepsStalePathsUntilEndOfRibThenSweepsTheOnesNotRefreshed() {
        learn(1, "kept", 100);
        learn(1, "dropped", 100);
        rib.markStale(1);
        assertThat(rib.best("dropped").orElseThrow().stale()).isTrue();
        assertThat(learn(1, "kept", 100))
                .as("refreshing a stale path is not a best-path change")
                .isEmpty();
        assertThat(rib.best("kept").orElseThrow().stale()).isFalse();

        var swept = rib.sweepStale(1);
        assertThat(swept).extracting(BestPathChange::destination).containsExactly("dropped");
        assertThat(rib.best("kept")).isPresent();
    }

    @Test
    void equalAttributesAreSharedAndReleasedWithTheirLastRoute() {
        for (int i = 0; i < 1000; i++) {
            rib.update(1, "h" + i, new Attrs("10.0.0.1", 100), rank(1, 100));
        }
        assertThat(rib.distinctAttributes()).isEqualTo(1);
        Attrs a = rib.best("h1").orElseThrow().attributes();
        assertThat(rib.best("h999").orElseThrow().attributes()).isSameAs(a);
        rib.withdrawAll(1);
        assertThat(rib.distinctAttributes()).isZero();
    }

    @Test
    void thePrefixesOfOneUpdateShareOnePathAndMarkingOneStaleLeavesTheOthersFresh() {
        PathRank r = rank(1, 100);
        rib.update(1, "10.1.0.0/24", new Attrs("10.0.0.1", 100), r);
        rib.update(1, "10.2.0.0/24", new Attrs("10.0.0.1", 100), r);
        assertThat(rib.best("10.1.0.0/24").orElseThrow())
                .as("one path object for both prefixes")
                .isSameAs(rib.best("10.2.0.0/24").orElseThrow());

        rib.markStale(1);
        rib.update(1, "10.1.0.0/24", new Attrs("10.0.0.1", 100), r);
        assertThat(rib.best("10.1.0.0/24").orElseThrow().stale()).isFalse();
        assertThat(rib.best("10.2.0.0/24").orElseThrow().stale()).isTrue();
        assertThat(rib.sweepStale(1)).extracting(BestPathChange::destination).containsExactly("10.2.0.0/24");
    }

    @Test
    void replacingAPathReleasesItsOldAttributes() {
        learn(1, "p", 100);
        learn(1, "p", 150);
        assertThat(rib.distinctAttributes())
                .as("the first attribute set is no longer used by any route")
                .isEqualTo(1);
        assertThat(rib.best("p").orElseThrow().attributes().localPref()).isEqualTo(150);
        assertThat(rib.pathsFrom(1)).isEqualTo(1);
    }

    @Test
    void countsFollowEveryWayAPathLeaves() {
        learn(1, "a", 100);
        learn(1, "b", 100);
        learn(2, "b", 100);
        assertThat(rib.destinations()).isEqualTo(2);
        assertThat(rib.pathsFrom(1)).isEqualTo(2);

        rib.withdraw(1, "b");
        assertThat(rib.pathsFrom(1)).isEqualTo(1);
        assertThat(rib.pathsFrom(2)).isEqualTo(1);
        assertThat(rib.destinations()).isEqualTo(2);

        assertThat(rib.withdrawAll(1)).hasSize(1);
        assertThat(rib.destinations())
                .as("a destination left without paths is gone")
                .isEqualTo(1);
        assertThat(rib.best("a")).isEmpty();
        assertThat(rib.paths("a")).isEmpty();
        assertThat(rib.withdrawAll(1)).as("nothing left to withdraw").isEmpty();

        rib.markStale(2);
        assertThat(rib.sweepStale(2)).hasSize(1);
        assertThat(rib.destinations()).isZero();
        assertThat(rib.pathsFrom(2)).isZero();
    }

    @Test
    void visitorsSeeTheBestPathsAndOnePeersPaths() {
        learn(1, "a", 100);
        learn(2, "a", 200);
        learn(1, "b", 100);
        Map<String, Integer> best = new HashMap<>();
        rib.forEachBest((k, p) -> best.put(k, p.peer()));
        assertThat(best).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2, "b", 1));

        Map<String, Long> fromPeer1 = new HashMap<>();
        rib.forEachPath(1, (k, p) -> fromPeer1.put(k, p.attributes().localPref()));
        assertThat(fromPeer1).containsExactlyInAnyOrderEntriesOf(Map.of("a", 100L, "b", 100L));
        Map<String, Long> fromPeer2 = new HashMap<>();
        rib.forEachPath(2, (k, p) -> fromPeer2.put(k, p.attributes().localPref()));
        assertThat(fromPeer2).containsExactlyInAnyOrderEntriesOf(Map.of("a", 200L));
    }

    @Test
    void aStaleSweepKeepsTheOtherPeersPathsAndFallsBackToThem() {
        learn(1, "p", 200);
        learn(2, "p", 100);
        rib.markStale(1);
        assertThat(rib.sweepStale(2)).as("peer 2 has nothing stale").isEmpty();
        var changes = rib.sweepStale(1);
        assertThat(changes).singleElement().satisfies(c -> {
            assertThat(c.before().orElseThrow().peer()).isEqualTo(1);
            assertThat(c.now().orElseThrow().peer()).isEqualTo(2);
        });
        assertThat(rib.best("p").orElseThrow().stale()).isFalse();
    }

    @Test
    void releasingWhatWasNeverAcquiredIsABug() {
        Interner<String> interner = new Interner<>();
        String a = interner.acquire(new String("x"));
        assertThat(interner.acquire(new String("x"))).isSameAs(a);
        interner.release("x");
        assertThat(interner.size()).isEqualTo(1);
        interner.release("x");
        assertThat(interner.size()).isZero();
        assertThatThrownBy(() -> interner.release("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("never acquired");
    }
}
