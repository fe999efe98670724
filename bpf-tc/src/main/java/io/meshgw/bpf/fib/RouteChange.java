package io.meshgw.bpf.fib;

import io.meshgw.types.IpPrefix;

/** One write to a routing table. */
public sealed interface RouteChange {

    IpPrefix destination();

    /** Installs a route to a destination that has none of ours: refused (EEXIST) where another protocol's is. */
    record Add(KernelRoute route) implements RouteChange {
        @Override
        public IpPrefix destination() {
            return route.destination();
        }
    }

    /** Replaces our route to the destination with {@code route} (other next hops). */
    record Replace(KernelRoute route) implements RouteChange {
        @Override
        public IpPrefix destination() {
            return route.destination();
        }
    }

    /** Removes our route to {@code destination}. */
    record Remove(IpPrefix destination) implements RouteChange {}
}
