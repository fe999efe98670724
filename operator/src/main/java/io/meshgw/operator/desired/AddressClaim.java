package io.meshgw.operator.desired;

import io.meshgw.operator.port.ResourceRef;
import java.time.Instant;

/**
 * One object's claim on a single address from a kind of pool.
 *
 * @param createdAt older claims are served first
 * @param poolRef the pool to allocate from, or null for any ready pool of the kind
 * @param requested a specific address, or null for the first free one
 * @param requestedMustBeInPoolRef whether a requested address must lie in {@code poolRef} (VIPs) or may lie in any
 *     pool of the kind (egress source addresses)
 * @param current the address the object's status already shows, or null: kept whenever still allowed
 */
public record AddressClaim(
        ResourceRef owner,
        Instant createdAt,
        String poolRef,
        String requested,
        boolean requestedMustBeInPoolRef,
        String current) {

    /** The pool the claim must be served from, or null for any. */
    String constraintPool() {
        return requested != null && !requestedMustBeInPoolRef ? null : poolRef;
    }
}
