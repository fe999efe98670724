package io.meshgw.operator.desired;

import io.meshgw.types.IpAddress;
import java.util.Optional;

/** The outcome of one {@link AddressClaim}. */
public sealed interface Allocation {

    /** @param pool the name of the pool it came from */
    record Assigned(IpAddress address, String pool) implements Allocation {}

    /**
     * @param conflict whether another object or the pools' extent is in the way (Conflict=True), rather than a pool
     *     that is missing, not ready or full
     * @param kept the address the object keeps reserved meanwhile (its pool is not ready)
     */
    record Rejected(String reason, String message, boolean conflict, Optional<IpAddress> kept) implements Allocation {
        static Rejected of(String reason, String message, boolean conflict) {
            return new Rejected(reason, message, conflict, Optional.empty());
        }
    }
}
