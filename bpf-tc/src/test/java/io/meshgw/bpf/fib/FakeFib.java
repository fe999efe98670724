package io.meshgw.bpf.fib;

import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kernel table in memory, with the kernel's rules for meshgw's writes: an add over any route to the destination is
 * EEXIST, a gateway on no connected network is ENETUNREACH, a replace or removal of a destination meshgw has no route
 * to is ESRCH. Routes of other protocols sit in {@link #others} and are never ours to read or change.
 */
final class FakeFib implements Fib {

    final Map<IpPrefix, KernelRoute> ours = new HashMap<>();
    final Set<IpPrefix> others = new HashSet<>();
    final Set<io.meshgw.types.IpAddress> unreachable = new HashSet<>();
    final List<List<RouteChange>> batches = new ArrayList<>();
    boolean closed;

    @Override
    public List<KernelRoute> read() {
        return List.copyOf(ours.values());
    }

    @Override
    public List<RouteFailure> apply(List<RouteChange> changes) {
        batches.add(List.copyOf(changes));
        List<RouteFailure> failures = new ArrayList<>();
        for (RouteChange c : changes) {
            switch (c) {
                case RouteChange.Add a -> {
                    if (ours.containsKey(a.destination()) || others.contains(a.destination())) {
                        failures.add(new RouteFailure(c, 17, "EEXIST File exists"));
                    } else if (a.route().gateways().stream().anyMatch(unreachable::contains)) {
                        failures.add(new RouteFailure(c, 101, "ENETUNREACH Network is unreachable"));
                    } else {
                        ours.put(a.destination(), a.route());
                    }
                }
                case RouteChange.Replace r -> {
                    if (r.route().gateways().stream().anyMatch(unreachable::contains)) {
                        failures.add(new RouteFailure(c, 101, "ENETUNREACH Network is unreachable"));
                    } else {
                        ours.put(r.destination(), r.route());
                    }
                }
                case RouteChange.Remove d -> ours.remove(d.destination());
            }
        }
        return failures;
    }

    @Override
    public void close() {
        closed = true;
    }
}
