package io.meshgw.bpf.fib;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteInstallerTest {

    private static final IpPrefix P1 = IpPrefix.parse("10.10.0.0/24");
    private static final IpPrefix P2 = IpPrefix.parse("10.20.0.0/24");
    private static final IpAddress R1 = IpAddress.parse("10.0.0.2");
    private static final IpAddress R2 = IpAddress.parse("10.0.0.3");
    private static final IpAddress R3 = IpAddress.parse("10.0.0.4");

    private final FakeFib fib = new FakeFib();

    private static Map<IpPrefix, List<IpAddress>> routes(Object... prefixThenGateways) {
        Map<IpPrefix, List<IpAddress>> m = new LinkedHashMap<>();
        for (int i = 0; i < prefixThenGateways.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<IpAddress> g = (List<IpAddress>) prefixThenGateways[i + 1];
            m.put((IpPrefix) prefixThenGateways[i], g);
        }
        return m;
    }

    @Test
    void writesOnlyTheDifferenceAddReplaceRemove() {
        RouteInstaller r = RouteInstaller.adopt(fib, 8);
        r.apply(routes(P1, List.of(R1), P2, List.of(R2)));
        assertThat(fib.batches.getLast())
                .hasOnlyElementsOfType(RouteChange.Add.class)
                .hasSize(2);

        r.apply(routes(P1, List.of(R1), P2, List.of(R2)));
        assertThat(fib.batches).as("the same gateways again write nothing").hasSize(1);

        r.apply(routes(P1, List.of(R2, R1)));
        assertThat(fib.batches.getLast())
                .containsExactly(new RouteChange.Replace(new KernelRoute(P1, List.of(R1, R2))));

        r.apply(routes(P1, List.of(R1, R2)));
        assertThat(fib.batches)
                .as("the same next hops in another order are the same route")
                .hasSize(2);

        r.apply(routes(P2, List.of()));
        assertThat(fib.batches.getLast()).containsExactly(new RouteChange.Remove(P2));
        assertThat(fib.ours).containsOnlyKeys(P1);
        assertThat(r.installed()).isEqualTo(1);
        assertThat(r.changesApplied()).isEqualTo(4);

        r.apply(routes(P2, List.of()));
        assertThat(fib.batches).as("removing what is not there writes nothing").hasSize(3);
    }

    @Test
    void maxPathsKeepsTheBestGateways() {
        RouteInstaller r = RouteInstaller.adopt(fib, 2);
        r.apply(routes(P1, List.of(R3, R1, R2)));
        assertThat(fib.ours.get(P1).gateways())
                .as("the first two given (best first), in address order")
                .containsExactly(R1, R3);
    }

    @Test
    void anotherProtocolsRouteIsNeverOverwrittenAndTheRefusalIsCountedWithoutStoppingTheOthers() {
        fib.others.add(P1);
        fib.unreachable.add(R3);
        RouteInstaller r = RouteInstaller.adopt(fib, 8);
        List<RouteFailure> refused =
                r.apply(routes(P1, List.of(R1), P2, List.of(R3), IpPrefix.parse("10.30.0.0/24"), List.of(R2)));
        assertThat(refused).extracting(RouteFailure::errnoName).containsExactly("EEXIST", "ENETUNREACH");
        assertThat(fib.batches.getLast().getFirst())
                .as("an add, never a replace, where meshgw has no route")
                .isInstanceOf(RouteChange.Add.class);
        assertThat(fib.ours).containsOnlyKeys(IpPrefix.parse("10.30.0.0/24"));
        assertThat(r.failures()).containsEntry("EEXIST", 1L).containsEntry("ENETUNREACH", 1L);
        assertThat(r.installed()).isEqualTo(1);

        fib.unreachable.clear();
        r.apply(routes(P2, List.of(R3)));
        assertThat(fib.ours)
                .as("a refused destination is tried again when given again")
                .containsKey(P2);
    }

    @Test
    void routesOfAPreviousRunStayUntilTheSweepUnlessGivenAgain() {
        fib.ours.put(P1, new KernelRoute(P1, List.of(R1)));
        fib.ours.put(P2, new KernelRoute(P2, List.of(R1)));
        RouteInstaller r = RouteInstaller.adopt(fib, 8);
        assertThat(r.installed()).isEqualTo(2);

        r.apply(routes(P1, List.of(R1), P2, List.of(R2)));
        assertThat(fib.batches.getLast())
                .as("P1 confirmed as it is, P2 replaced in place: no gap in forwarding")
                .containsExactly(new RouteChange.Replace(new KernelRoute(P2, List.of(R2))));

        fib.ours.put(IpPrefix.parse("10.99.0.0/24"), new KernelRoute(IpPrefix.parse("10.99.0.0/24"), List.of(R1)));
        RouteInstaller restarted = RouteInstaller.adopt(fib, 8);
        restarted.apply(routes(P1, List.of(R1)));
        restarted.sweepStale();
        assertThat(fib.ours)
                .as("what no session gave again is gone after the sweep")
                .containsOnlyKeys(P1);
        assertThat(restarted.sweepStale()).isEmpty();
    }

    @Test
    void repairPutsBackWhatTheKernelLostAndLeavesTheRestAlone() {
        fib.ours.put(IpPrefix.parse("10.99.0.0/24"), new KernelRoute(IpPrefix.parse("10.99.0.0/24"), List.of(R1)));
        RouteInstaller r = RouteInstaller.adopt(fib, 8);
        r.apply(routes(P1, List.of(R1), P2, List.of(R2, R3)));
        int written = fib.batches.size();
        assertThat(r.repair()).isEmpty();
        assertThat(fib.batches).as("nothing lost, nothing written").hasSize(written);

        // A link went down: P1's one route went with it, P2 lost a next hop; the previous run's route went too.
        fib.ours.remove(P1);
        fib.ours.put(P2, new KernelRoute(P2, List.of(R3)));
        fib.ours.remove(IpPrefix.parse("10.99.0.0/24"));
        fib.unreachable.add(R1);
        assertThat(r.repair())
                .as("the link is still down: P1 is refused, and P2 is put back")
                .singleElement()
                .satisfies(f -> assertThat(f.errnoName()).isEqualTo("ENETUNREACH"));
        assertThat(fib.ours.get(P2)).isEqualTo(new KernelRoute(P2, List.of(R2, R3)));
        assertThat(fib.ours).doesNotContainKey(IpPrefix.parse("10.99.0.0/24"));

        fib.unreachable.clear();
        assertThat(r.repair()).as("the link is back").isEmpty();
        assertThat(fib.ours).as("a route nobody gave yet is not put back").containsOnlyKeys(P1, P2);
        assertThat(fib.ours.get(P1)).isEqualTo(new KernelRoute(P1, List.of(R1)));
        assertThat(r.repaired()).isEqualTo(2);
        assertThat(r.failures()).containsEntry("ENETUNREACH", 1L);
        assertThat(r.installed()).isEqualTo(3);
    }

    @Test
    void closeKeepsTheRoutesAndRemoveAllTakesThemAway() {
        RouteInstaller r = RouteInstaller.adopt(fib, 8);
        r.apply(routes(P1, List.of(R1), P2, List.of(R2)));
        r.close();
        assertThat(fib.ours).hasSize(2);
        assertThat(fib.closed).isTrue();

        RouteInstaller again = RouteInstaller.adopt(fib, 8);
        again.removeAll();
        assertThat(fib.ours).isEmpty();
        assertThat(again.installed()).isZero();
    }
}
