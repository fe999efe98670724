package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Prefix;
import java.util.Optional;

/**
 * The Loc-RIB's best path to {@code prefix} changed.
 *
 * @param best the best path now, with the peer it came from; empty when no path is left
 */
public record BestRouteChange(Prefix prefix, Optional<BestRoute> best) {}
