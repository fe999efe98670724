package io.meshgw.operator.desired;

/** The outcome of one {@link AddressClaim}. */
public sealed interface Allocation {

    /**
     * @param address canonical text, without prefix length
     * @param pool the name of the pool it came from
     */
    record Assigned(String address, String pool) implements Allocation {}

    /**
     * @param conflict whether another object or the pools' extent is in the way (Conflict=True), rather than a pool
     *     that is missing, not ready or full
     * @param kept the address the object keeps reserved meanwhile (its pool is not ready), or null
     */
    record Rejected(String reason, String message, boolean conflict, String kept) implements Allocation {}
}
