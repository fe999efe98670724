package io.meshgw.bpf.fib;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import java.util.List;

/**
 * A route in a kernel routing table: a destination forwarded to one gateway, or to several with equal weight
 * (ECMP). The gateways are kept in address order, so two routes to the same next hops are equal whatever order
 * they were learned in. An IPv4 route may go through IPv6 gateways (RFC 8950, as the kernel allows since 5.2); an
 * IPv6 route has IPv6 gateways only.
 */
public record KernelRoute(IpPrefix destination, List<IpAddress> gateways) {

    public KernelRoute {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("a route to " + destination + " needs a gateway");
        }
        for (IpAddress g : gateways) {
            if (g.family() != destination.family() && destination.family() == IpFamily.IPV6) {
                throw new IllegalArgumentException(
                        "gateway " + g + " is not of the family of " + destination + " (" + destination.family() + ")");
            }
        }
        gateways = gateways.stream().distinct().sorted().toList();
    }

    @Override
    public String toString() {
        return destination + " via " + gateways;
    }
}
