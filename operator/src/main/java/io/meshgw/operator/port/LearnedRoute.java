package io.meshgw.operator.port;

import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Optional;

/** A best route in the speaker's Loc-RIB, learned from a datacenter peer (after its import policy). */
public record LearnedRoute(
        IpPrefix prefix,
        Optional<IpAddress> nextHop,
        ObjectKey peer,
        List<Community> communities,
        List<LargeCommunity> largeCommunities) {
    public LearnedRoute {
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
    }
}
