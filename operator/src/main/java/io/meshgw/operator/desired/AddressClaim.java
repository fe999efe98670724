package io.meshgw.operator.desired;

import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import java.time.Instant;
import java.util.List;
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
 * @param preferredFamilies the families a free address is taken from first, in this order; the pools' other
 *     families only when these have none free. A current address of another family is given up for one of these
 *     where the pools have any (it could not be used). Empty: any family, in the pools' order
 */
public record AddressClaim(
        ResourceRef owner,
        Instant createdAt,
        Optional<String> poolRef,
        Optional<String> requested,
        boolean requestedMustBeInPoolRef,
        Optional<IpAddress> current,
        List<IpFamily> preferredFamilies) {

    public AddressClaim {
        preferredFamilies = List.copyOf(preferredFamilies);
    }

    /** A claim with no preferred family. */
    public AddressClaim(
            ResourceRef owner,
            Instant createdAt,
            Optional<String> poolRef,
            Optional<String> requested,
            boolean requestedMustBeInPoolRef,
            Optional<IpAddress> current) {
        this(owner, createdAt, poolRef, requested, requestedMustBeInPoolRef, current, List.of());
    }

    /** Whether {@code family} is one this claim prefers (every family, when it prefers none). */
    boolean prefers(IpFamily family) {
        return preferredFamilies.isEmpty() || preferredFamilies.contains(family);
    }

    /** The pool the claim must be served from; empty for any. */
    Optional<String> constraintPool() {
        return requested.isPresent() && !requestedMustBeInPoolRef ? Optional.empty() : poolRef;
    }
}
