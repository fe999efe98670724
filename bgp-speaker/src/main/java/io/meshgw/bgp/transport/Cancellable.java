package io.meshgw.bgp.transport;

/** A scheduled task that can still be called off. */
@FunctionalInterface
public interface Cancellable {

    /** The task will not run, unless it already has. */
    void cancel();
}
