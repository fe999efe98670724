package io.meshgw.bpf.fib;

import java.util.List;

/**
 * The routes of one routing protocol in one kernel routing table: read them, change them. {@link KernelFib} is the
 * kernel's, over rtnetlink; tests use a fake.
 */
public interface Fib extends AutoCloseable {

    /** Every route of this protocol in this table, both families. */
    List<KernelRoute> read();

    /**
     * Applies {@code changes} in order; a refused change is returned and never stops the others. A removal of a route
     * that is already gone is not a failure.
     */
    List<RouteFailure> apply(List<RouteChange> changes);

    @Override
    void close();
}
