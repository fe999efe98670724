package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.LargeCommunities.Large;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import io.meshgw.bgp.wire.Prefix;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyBridgeTest {

    private static final Prefix P = Prefix.parse("10.1.0.0/16");
    private static final PathAttribute.NextHop NH = new PathAttribute.NextHop(new byte[] {10, 0, 0, 1});

    private static List<PathAttribute> attrs() {
        return List.of(
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of(
                        new Segment(Segment.AS_SEQUENCE, List.of(65010L)),
                        new Segment(Segment.AS_SET, List.of(1L, 2L)))),
                NH,
                new PathAttribute.LocalPref(150),
                new PathAttribute.MultiExitDisc(20),
                new PathAttribute.Communities(List.of(7L, 3L)),
                new PathAttribute.LargeCommunities(List.of(new Large(65010, 1, 2))));
    }

    @Test
    void policySeesTheRouteThroughItsOwnView() {
        PolicyRoute r = PolicyBridge.toPolicy(P, attrs());
        assertThat(r.prefix()).isEqualTo(new RoutePrefix(P.address(), 16));
        assertThat(r.asPath()).containsExactly(65010L, 1L, 2L);
        assertThat(r.communities()).containsExactlyInAnyOrder(3L, 7L);
        assertThat(r.largeCommunities()).containsExactly(new PolicyRoute.LargeCommunity(65010, 1, 2));
        assertThat(r.localPref()).hasValue(150);
        assertThat(r.med()).hasValue(20);

        PolicyRoute bare = PolicyBridge.toPolicy(P, List.of(new PathAttribute.Origin(0)));
        assertThat(bare.asPath()).isEmpty();
        assertThat(bare.communities()).isEmpty();
        assertThat(bare.localPref()).isEmpty();
        assertThat(bare.med()).isEmpty();
    }

    @Test
    void anUnchangedRouteKeepsTheSameAttributeList() {
        List<PathAttribute> a = attrs();
        assertThat(PolicyBridge.apply(a, PolicyBridge.toPolicy(P, a))).isSameAs(a);
    }

    @Test
    void rewritesReplaceTheirAttributesAndLeaveTheOthers() {
        List<PathAttribute> a = attrs();
        PolicyRoute r = PolicyBridge.toPolicy(P, a);
        PolicyRoute changed = new PolicyRoute(
                r.prefix(),
                List.of(65000L, 65000L, 65010L, 1L, 2L),
                Set.of(9L, 3L, 7L),
                Set.of(new PolicyRoute.LargeCommunity(65000, 5, 5), new PolicyRoute.LargeCommunity(65000, 1, 9)),
                OptionalLong.of(400),
                OptionalLong.of(5));

        List<PathAttribute> out = PolicyBridge.apply(a, changed);

        var path = out.stream()
                .filter(x -> x instanceof PathAttribute.AsPath)
                .map(PathAttribute.AsPath.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(path.segments())
                .as("the prepended ASes go in a sequence before the old segments")
                .containsExactly(
                        new Segment(Segment.AS_SEQUENCE, List.of(65000L, 65000L)),
                        new Segment(Segment.AS_SEQUENCE, List.of(65010L)),
                        new Segment(Segment.AS_SET, List.of(1L, 2L)));
        assertThat(out).contains(new PathAttribute.Origin(0), NH);
        assertThat(out).contains(new PathAttribute.Communities(List.of(3L, 7L, 9L)));
        assertThat(out)
                .contains(new PathAttribute.LargeCommunities(List.of(new Large(65000, 1, 9), new Large(65000, 5, 5))));
        assertThat(out).contains(new PathAttribute.LocalPref(400), new PathAttribute.MultiExitDisc(5));
        assertThat(out).doesNotContain(new PathAttribute.LocalPref(150), new PathAttribute.MultiExitDisc(20));
        assertThat(out).hasSize(a.size());
    }

    @Test
    void emptiedCommunitiesAndRemovedValuesDisappear() {
        List<PathAttribute> a = attrs();
        PolicyRoute r = PolicyBridge.toPolicy(P, a);
        PolicyRoute stripped =
                new PolicyRoute(r.prefix(), r.asPath(), Set.of(), Set.of(), OptionalLong.empty(), OptionalLong.empty());

        List<PathAttribute> out = PolicyBridge.apply(a, stripped);

        assertThat(out)
                .noneMatch(x -> x instanceof PathAttribute.Communities
                        || x instanceof PathAttribute.LargeCommunities
                        || x instanceof PathAttribute.LocalPref
                        || x instanceof PathAttribute.MultiExitDisc);
        assertThat(out).contains(a.get(1)).as("the path is the same instance").hasSize(3);
    }

    @Test
    void largeCommunitiesAreSortedByEveryPart() {
        List<PathAttribute> a = List.of(new PathAttribute.Origin(0));
        PolicyRoute r = PolicyBridge.toPolicy(P, a);
        PolicyRoute tagged = new PolicyRoute(
                r.prefix(),
                r.asPath(),
                r.communities(),
                Set.of(
                        new PolicyRoute.LargeCommunity(2, 1, 1),
                        new PolicyRoute.LargeCommunity(1, 2, 1),
                        new PolicyRoute.LargeCommunity(1, 1, 2),
                        new PolicyRoute.LargeCommunity(1, 1, 1)),
                r.localPref(),
                r.med());
        assertThat(PolicyBridge.apply(a, tagged))
                .contains(new PathAttribute.LargeCommunities(
                        List.of(new Large(1, 1, 1), new Large(1, 1, 2), new Large(1, 2, 1), new Large(2, 1, 1))));
    }

    @Test
    void ipv6PrefixesMapBothWays() {
        Prefix v6 = Prefix.parse("2001:db8::/32");
        List<PathAttribute> a = List.of(new PathAttribute.Origin(0), new PathAttribute.MultiExitDisc(1));
        PolicyRoute r = PolicyBridge.toPolicy(v6, a);
        assertThat(r.prefix().ipv6()).isTrue();
        PolicyRoute changed = new PolicyRoute(
                r.prefix(), r.asPath(), r.communities(), r.largeCommunities(), r.localPref(), OptionalLong.of(2));
        assertThat(PolicyBridge.apply(a, changed))
                .containsExactly(new PathAttribute.Origin(0), new PathAttribute.MultiExitDisc(2));
    }
}
