package io.meshgw.bgp.speaker;

import java.time.Duration;
import java.util.Optional;

/**
 * The most routes of one address family a neighbor may have accepted, counted apart from its other families (as FRR's
 * and BIRD's per-family maximum-prefix are): a flood of IPv6 routes never counts against the IPv4 limit.
 *
 * @param limit accepted routes allowed; one more ceases the session (RFC 4486 §4), at least 1
 * @param warningPercent share of {@code limit}, 1..100, at which a warning is logged, once per session
 * @param restartAfter start the session again this long after the Cease; empty keeps it down until the neighbor is
 *     configured again
 */
public record MaxPrefix(int limit, int warningPercent, Optional<Duration> restartAfter) {

    public MaxPrefix {
        if (limit < 1) {
            throw new IllegalArgumentException("a prefix limit must be at least 1, was " + limit);
        }
        if (warningPercent < 1 || warningPercent > 100) {
            throw new IllegalArgumentException(
                    "a prefix limit's warning share must be 1..100 %, was " + warningPercent);
        }
        if (restartAfter.isPresent() && !restartAfter.get().isPositive()) {
            throw new IllegalArgumentException(
                    "a prefix limit's restart time must be positive, was " + restartAfter.get());
        }
    }

    /** {@code limit} routes, warned of at 90 %, the session kept down after the Cease. */
    public static MaxPrefix of(int limit) {
        return new MaxPrefix(limit, 90, Optional.empty());
    }

    public MaxPrefix withWarningPercent(int percent) {
        return new MaxPrefix(limit, percent, restartAfter);
    }

    public MaxPrefix withRestartAfter(Duration d) {
        return new MaxPrefix(limit, warningPercent, Optional.of(d));
    }
}
