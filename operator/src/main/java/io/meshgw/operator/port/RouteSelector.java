package io.meshgw.operator.port;

import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.plan.PolicyConfig.PrefixRule;
import io.meshgw.types.IpPrefix;
import java.util.List;

/**
 * Which learned routes a LegacyService selects: any of the prefix rules matches (or there are none) and every
 * listed community and large community is carried. The planner asks the speaker for the routes its selectors need,
 * so a pass never copies the whole Loc-RIB.
 */
public record RouteSelector(
        List<PrefixRule> prefixes, List<Community> communities, List<LargeCommunity> largeCommunities) {
    public RouteSelector {
        prefixes = List.copyOf(prefixes);
        communities = List.copyOf(communities);
        largeCommunities = List.copyOf(largeCommunities);
    }

    public boolean selects(LearnedRoute route) {
        return selects(route.prefix(), route.communities(), route.largeCommunities());
    }

    public boolean selects(IpPrefix prefix, List<Community> carried, List<LargeCommunity> carriedLarge) {
        if (!carried.containsAll(communities) || !carriedLarge.containsAll(largeCommunities)) {
            return false;
        }
        return prefixes.isEmpty() || prefixes.stream().anyMatch(rule -> rule.matches(prefix));
    }
}
