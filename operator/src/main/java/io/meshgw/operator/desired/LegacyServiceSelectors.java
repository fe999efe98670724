package io.meshgw.operator.desired;

import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.port.RouteSelector;
import java.util.List;
import java.util.Optional;

/**
 * Which learned routes the LegacyServices select. A pass asks the speaker for these only, before it plans, so the
 * snapshot holds the routes the planner needs and never a copy of the whole Loc-RIB; the planner selects each
 * LegacyService's routes with the same selector.
 */
public final class LegacyServiceSelectors {
    private LegacyServiceSelectors() {}

    /** The selectors of the valid LegacyServices not being deleted, once each, in object order. */
    public static List<RouteSelector> of(List<LegacyService> services) {
        return services.stream()
                .filter(s -> !Metadata.deleting(s))
                .map(LegacyServiceSelectors::of)
                .flatMap(Optional::stream)
                .distinct()
                .toList();
    }

    /** The selector of a valid LegacyService; empty for an invalid one, which selects nothing. */
    static Optional<RouteSelector> of(LegacyService service) {
        if (!LegacyServicePlanner.validate(service).isValid()) return Optional.empty();
        var spec = service.getSpec();
        return Optional.of(new RouteSelector(
                spec.prefixes.stream().map(PolicyPlanner::prefixRule).toList(),
                spec.communities.stream().map(Community::parse).toList(),
                spec.largeCommunities.stream().map(LargeCommunity::parse).toList()));
    }
}
