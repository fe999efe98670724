package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Prefix;
import java.util.List;

/**
 * The paths to {@code prefix} to forward over changed: the best path learned from a neighbor and the paths equal to
 * it for forwarding (multipath, {@link io.meshgw.bgp.rib.DecisionProcess#multipath}), best first. Empty when no
 * neighbor's path is left, or when the best path is one this speaker originates (nobody is forwarded to then).
 */
public record MultipathChange(Prefix prefix, List<BestRoute> paths) {

    public MultipathChange {
        paths = List.copyOf(paths);
    }
}
