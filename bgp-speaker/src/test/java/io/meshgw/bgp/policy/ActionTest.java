package io.meshgw.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.policy.Action.AddCommunities;
import io.meshgw.bgp.policy.Action.AddLargeCommunities;
import io.meshgw.bgp.policy.Action.PrependAs;
import io.meshgw.bgp.policy.Action.SetLocalPref;
import io.meshgw.bgp.policy.Action.SetMed;
import io.meshgw.bgp.policy.PolicyRoute.LargeCommunity;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each action changes exactly the part of the route it names, and leaves the rest as it was. */
class ActionTest {

    private static final LargeCommunity LC = new LargeCommunity(65000, 7, 8);

    private static final PolicyRoute ROUTE = new PolicyRoute(
            RoutePrefix.parse("192.0.2.0/24"),
            List.of(65001L, 65010L),
            Set.of(PolicyRoute.community("65001:1")),
            Set.of(LC),
            OptionalLong.of(120),
            OptionalLong.of(5));

    @Test
    void setLocalPrefReplacesLocalPrefOnly() {
        assertThat(new SetLocalPref(300).apply(ROUTE))
                .isEqualTo(new PolicyRoute(
                        ROUTE.prefix(),
                        ROUTE.asPath(),
                        ROUTE.communities(),
                        ROUTE.largeCommunities(),
                        OptionalLong.of(300),
                        ROUTE.med()));
    }

    @Test
    void setMedReplacesMedOnly() {
        assertThat(new SetMed(0).apply(ROUTE))
                .isEqualTo(new PolicyRoute(
                        ROUTE.prefix(),
                        ROUTE.asPath(),
                        ROUTE.communities(),
                        ROUTE.largeCommunities(),
                        ROUTE.localPref(),
                        OptionalLong.of(0)));
    }

    @Test
    void addCommunitiesKeepsTheOnesAlreadyThere() {
        long added = PolicyRoute.community("65000:100");
        PolicyRoute out = new AddCommunities(Set.of(added, PolicyRoute.community("65001:1"))).apply(ROUTE);
        assertThat(out.communities()).containsExactlyInAnyOrder(PolicyRoute.community("65001:1"), added);
        assertThat(out)
                .isEqualTo(new PolicyRoute(
                        ROUTE.prefix(),
                        ROUTE.asPath(),
                        out.communities(),
                        ROUTE.largeCommunities(),
                        ROUTE.localPref(),
                        ROUTE.med()));
    }

    @Test
    void addLargeCommunitiesKeepsTheOnesAlreadyThere() {
        var added = new LargeCommunity(65000, 0, 1);
        PolicyRoute out = new AddLargeCommunities(Set.of(added)).apply(ROUTE);
        assertThat(out.largeCommunities()).containsExactlyInAnyOrder(LC, added);
        assertThat(out)
                .isEqualTo(new PolicyRoute(
                        ROUTE.prefix(),
                        ROUTE.asPath(),
                        ROUTE.communities(),
                        out.largeCommunities(),
                        ROUTE.localPref(),
                        ROUTE.med()));
    }

    @Test
    void prependPutsTheAsInFrontCountTimes() {
        PolicyRoute once = new PrependAs(65000, 1).apply(ROUTE);
        assertThat(once.asPath()).containsExactly(65000L, 65001L, 65010L);
        assertThat(new PrependAs(65000, 3).apply(ROUTE).asPath())
                .containsExactly(65000L, 65000L, 65000L, 65001L, 65010L);
        assertThat(new PrependAs(4200000000L, 32).apply(ROUTE).asPath()).hasSize(34);
        assertThat(once)
                .isEqualTo(new PolicyRoute(
                        ROUTE.prefix(),
                        once.asPath(),
                        ROUTE.communities(),
                        ROUTE.largeCommunities(),
                        ROUTE.localPref(),
                        ROUTE.med()));
    }

    @Test
    void prependCountsOutsideOneToThirtyTwoAreRejected() {
        assertThatThrownBy(() -> new PrependAs(65000, 0)).hasMessageContaining("1..32, was 0");
        assertThatThrownBy(() -> new PrependAs(65000, 33)).hasMessageContaining("1..32, was 33");
        assertThat(new PrependAs(65000, 32).count()).isEqualTo(32);
    }
}
