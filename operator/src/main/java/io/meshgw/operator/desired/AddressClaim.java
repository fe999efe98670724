package io.meshgw.operator.desired;

import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * One object's claim on a single address from a kind of pool.
 *
 * @param createdAt older claims are served first
 * @param poolRef the pool to allocate from; empty for any ready pool of the kind
 * @param requested a specific address as the spec writes it (the allocator reports text that is not an address);
 *     empty for the first free one
 * @param requestedMustBeInPoolRef whether a requested address must lie in {@code poolRef} (VIPs) or may lie in any
 *     pool of the kind (egress source addresses)
 * @param current the address the object's status already shows: kept whenever still allowed
 */
public record AddressClaim(
        ResourceRef owner,
        Instant createdAt,
        Optional<String> poolRef,
        Optional<String> requested,
        boolean requestedMustBeInPoolRef,
        Optional<IpAddress> current) {

    /** The pool the claim must be served from; empty for any. */
    Optional<String> constraintPool() {
        return requested.isPresent() && !requestedMustBeInPoolRef ? Optional.empty() : poolRef;
    }
}
