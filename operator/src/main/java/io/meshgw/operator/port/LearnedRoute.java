package io.meshgw.operator.port;

import java.util.List;

/** A route in the speaker's Loc-RIB, learned from a datacenter peer. */
public record LearnedRoute(
        String prefix, String nextHop, ObjectKey peer, List<String> communities, List<String> largeCommunities) {
    public LearnedRoute {
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
    }
}
