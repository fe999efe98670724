package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.meta;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.plan.PolicyConfig.PrefixRule;
import io.meshgw.operator.port.RouteSelector;
import io.meshgw.types.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The routes a pass asks the speaker for: what the valid, live LegacyServices select, once each. */
class LegacyServiceSelectorsTest {

    static LegacyService legacyService(String name, String prefix, String community) {
        var service = meta(new LegacyService(), "apps", name, 0);
        var spec = new LegacyServiceSpec();
        spec.prefixes.add(new PrefixMatch(prefix, null, 32));
        if (community != null) spec.communities.add(community);
        spec.largeCommunities.add("65000:1:2");
        var port = new LegacyServiceSpec.Port();
        port.port = 23;
        spec.ports.add(port);
        service.setSpec(spec);
        return service;
    }

    @Test
    void validLiveLegacyServicesSelectByTheirPrefixesAndCommunities() {
        var mainframe = legacyService("mainframe", "10.50.0.0/16", "65000:7");
        var same = legacyService("mainframe-2", "10.50.0.0/16", "65000:7");
        var invalid = legacyService("broken", "10.60.0.1/16", null);
        var leaving = legacyService("leaving", "10.70.0.0/16", null);
        leaving.getMetadata().setDeletionTimestamp("2026-01-02T00:00:00Z");
        assertThat(LegacyServiceSelectors.of(List.of(mainframe, invalid, same, leaving)))
                .containsExactly(new RouteSelector(
                        List.of(new PrefixRule(IpPrefix.parse("10.50.0.0/16"), 16, 32)),
                        List.of(Community.parse("65000:7")),
                        List.of(new LargeCommunity(65000, 1, 2))));
    }

    @Test
    void aSelectorSelectsWhatTheLegacyServicePlannerReports() {
        var selector = LegacyServiceSelectors.of(legacyService("mainframe", "10.50.0.0/16", "65000:7"))
                .orElseThrow();
        var tor = new io.meshgw.operator.port.ObjectKey("net", "tor1");
        var carried = Fixtures.route("10.50.1.0/24", tor, "65000:7");
        assertThat(selector.selects(withLarge(carried))).isTrue();
        assertThat(selector.selects(carried))
                .as("the large community is missing")
                .isFalse();
        assertThat(selector.selects(withLarge(Fixtures.route("10.50.1.0/24", tor))))
                .isFalse();
        assertThat(selector.selects(withLarge(Fixtures.route("10.51.0.0/24", tor, "65000:7"))))
                .isFalse();
    }

    static io.meshgw.operator.port.LearnedRoute withLarge(io.meshgw.operator.port.LearnedRoute route) {
        return new io.meshgw.operator.port.LearnedRoute(
                route.prefix(),
                route.nextHop(),
                route.peer(),
                route.communities(),
                List.of(new LargeCommunity(65000, 1, 2)));
    }
}
