package io.meshgw.mesh.view;

import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.types.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Takes the {@linkplain ForbiddenAddress forbidden addresses} out of a remote value: an endpoint keeps its other
 * addresses and goes when none is left; a gateway that keeps no address is held as deleted. Pure.
 */
final class AddressScreen {

    /** One address taken out. */
    record Rejection(InetAddress address, ForbiddenAddress kind) {}

    /**
     * @param value what may be used: the value itself when nothing was wrong, {@code null} when nothing is left
     */
    record Screened(StateValue value, List<Rejection> rejected) {}

    private AddressScreen() {}

    static Screened screen(StateValue value, List<IpPrefix> localVips) {
        return switch (value) {
            case EndpointSlice s -> slice(s, localVips);
            case GatewayAddress g -> gateway(g, localVips);
            case null, default -> new Screened(value, List.of());
        };
    }

    private static Screened slice(EndpointSlice s, List<IpPrefix> localVips) {
        if (allAllowed(s, localVips)) {
            return new Screened(s, List.of()); // the common case, without a copy of every endpoint's addresses
        }
        List<Rejection> rejected = new ArrayList<>();
        List<Endpoint> kept = new ArrayList<>(s.endpoints().size());
        boolean changed = false;
        for (Endpoint e : s.endpoints()) {
            List<InetAddress> ok = allowed(e.addresses(), localVips, rejected);
            if (ok.size() == e.addresses().size()) {
                kept.add(e);
                continue;
            }
            changed = true;
            if (!ok.isEmpty()) {
                kept.add(new Endpoint(ok, e.ready(), e.serving(), e.terminating(), e.zone(), e.node()));
            }
        }
        if (!changed) {
            return new Screened(s, List.of());
        }
        return new Screened(
                new EndpointSlice(s.namespace(), s.service(), s.slice(), s.owningCluster(), s.ports(), kept),
                List.copyOf(rejected));
    }

    private static boolean allAllowed(EndpointSlice s, List<IpPrefix> localVips) {
        for (Endpoint e : s.endpoints()) {
            for (InetAddress a : e.addresses()) {
                if (ForbiddenAddress.of(a, localVips).isPresent()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Screened gateway(GatewayAddress g, List<IpPrefix> localVips) {
        List<Rejection> rejected = new ArrayList<>();
        List<InetAddress> ok = allowed(g.addresses(), localVips, rejected);
        if (rejected.isEmpty()) {
            return new Screened(g, List.of());
        }
        return new Screened(ok.isEmpty() ? null : new GatewayAddress(g.node(), ok), List.copyOf(rejected));
    }

    private static List<InetAddress> allowed(
            List<InetAddress> addresses, List<IpPrefix> localVips, List<Rejection> rejected) {
        List<InetAddress> ok = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            Optional<ForbiddenAddress> bad = ForbiddenAddress.of(a, localVips);
            if (bad.isPresent()) {
                rejected.add(new Rejection(a, bad.get()));
            } else {
                ok.add(a);
            }
        }
        return ok;
    }
}
