package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class PropagationTest {

    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    private static final RouteAttributes A = attrs(100);
    private static final RouteAttributes B = attrs(200);

    private final Queue<Runnable> later = new ArrayDeque<>();
    private final List<List<AdjRibOut.Change>> sentToNeighbors = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final List<List<BestRouteChange>> routeEvents = new ArrayList<>();
    private final Propagation propagation =
            new Propagation(later::add, sentToNeighbors::add, i -> i == 0 ? "local" : "peer" + i);

    {
        propagation.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {
                events.add("session " + status.name() + " " + status.state());
            }

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                events.add("routes " + changes.size());
                routeEvents.add(changes);
            }
        });
    }

    private static RouteAttributes attrs(long med) {
        return new RouteAttributes(List.of(new PathAttribute.Origin(0), new PathAttribute.MultiExitDisc(med)));
    }

    private static Optional<Path<RouteAttributes>> path(int peer, RouteAttributes a) {
        return Optional.of(
                new Path<>(peer, a, new PathRank(false, 100, 1, 0, 0, 65001, true, 0, peer, peer, 0), false));
    }

    private static PeerStatus status(String name, State s) {
        return new PeerStatus(
                name,
                "192.0.2.2",
                65010,
                s,
                Optional.<Instant>empty(),
                0,
                0,
                Map.of(),
                0,
                0,
                0,
                0,
                Optional.empty(),
                0,
                Map.of(),
                0,
                0,
                Map.of());
    }

    private void runLater() {
        Runnable r;
        while ((r = later.poll()) != null) {
            r.run();
        }
    }

    @Test
    void changesWaitForTheEndOfTheBatchAndOneFlushIsScheduled() {
        propagation.bestPathChanged(new BestPathChange<>(P1, Optional.empty(), path(1, A)));
        propagation.bestPathChanged(new BestPathChange<>(P2, Optional.empty(), path(1, A)));
        propagation.sessionChanged(status("peer1", State.ESTABLISHED));

        assertThat(sentToNeighbors).isEmpty();
        assertThat(events).isEmpty();
        assertThat(later).hasSize(1);

        runLater();
        assertThat(sentToNeighbors).hasSize(1);
        assertThat(sentToNeighbors.getFirst())
                .extracting(AdjRibOut.Change::prefix)
                .containsExactly(P1, P2);
        assertThat(events).containsExactly("session peer1 ESTABLISHED", "routes 2");
        assertThat(routeEvents.getFirst().getFirst().best().orElseThrow()).isEqualTo(new BestRoute(P1, "peer1", A));
    }

    @Test
    void aPrefixIsCoalescedFromItsFirstBeforeToItsLastNow() {
        propagation.bestPathChanged(new BestPathChange<>(P1, path(1, A), path(2, B)));
        propagation.bestPathChanged(new BestPathChange<>(P1, path(2, B), Optional.empty()));
        runLater();

        assertThat(sentToNeighbors.getFirst()).containsExactly(new AdjRibOut.Change(P1, path(1, A), Optional.empty()));
        assertThat(routeEvents.getFirst()).containsExactly(new BestRouteChange(P1, Optional.empty()));
    }

    @Test
    void aChangeThatCameAndWentIsNoEventButStillReachesTheNeighbors() {
        propagation.bestPathChanged(new BestPathChange<>(P1, path(1, A), path(2, B)));
        propagation.bestPathChanged(new BestPathChange<>(P1, path(2, B), path(1, A)));
        propagation.bestPathChanged(new BestPathChange<>(P2, Optional.empty(), path(0, A)));
        propagation.bestPathChanged(new BestPathChange<>(P2, path(0, A), Optional.empty()));
        runLater();

        assertThat(sentToNeighbors.getFirst()).hasSize(2); // their Adj-RIB-Out decides
        assertThat(events).isEmpty();
    }

    @Test
    void sameSourceWithOtherAttributesIsAnEvent() {
        propagation.bestPathChanged(new BestPathChange<>(P1, path(1, A), path(1, B)));
        runLater();
        assertThat(routeEvents.getFirst())
                .containsExactly(new BestRouteChange(P1, Optional.of(new BestRoute(P1, "peer1", B))));
    }

    @Test
    void anotherSourceWithTheSameAttributesIsAnEvent() {
        propagation.bestPathChanged(new BestPathChange<>(P1, path(1, A), path(0, A)));
        runLater();
        assertThat(routeEvents.getFirst())
                .containsExactly(new BestRouteChange(P1, Optional.of(new BestRoute(P1, "local", A))));
    }

    @Test
    void sessionChangesAreDeliveredEachInOrder() {
        propagation.sessionChanged(status("a", State.CONNECT));
        propagation.sessionChanged(status("a", State.OPEN_SENT));
        propagation.sessionChanged(status("b", State.IDLE));
        runLater();
        assertThat(events).containsExactly("session a CONNECT", "session a OPEN_SENT", "session b IDLE");
        assertThat(sentToNeighbors).as("no route changed").isEmpty();
    }

    @Test
    void aNewBatchStartsAfterAFlush() {
        propagation.bestPathChanged(new BestPathChange<>(P1, Optional.empty(), path(1, A)));
        runLater();
        propagation.bestPathChanged(new BestPathChange<>(P2, Optional.empty(), path(1, A)));
        assertThat(later).as("a second flush is scheduled").hasSize(1);
        runLater();
        assertThat(sentToNeighbors).hasSize(2);
        assertThat(routeEvents.get(1)).extracting(BestRouteChange::prefix).containsExactly(P2);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        List<BestRouteChange> seen = new ArrayList<>();
        Propagation p = new Propagation(later::add, b -> {}, i -> "x");
        p.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {
                throw new IllegalStateException("boom");
            }

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                throw new IllegalStateException("boom");
            }
        });
        p.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {
                seen.add(null);
            }

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                seen.addAll(changes);
            }
        });
        p.sessionChanged(status("a", State.IDLE));
        p.bestPathChanged(new BestPathChange<>(P1, Optional.empty(), path(1, A)));
        runLater();
        assertThat(seen).hasSize(2);
    }
}
