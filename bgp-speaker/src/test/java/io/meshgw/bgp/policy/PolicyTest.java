package io.meshgw.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.policy.Action.AddCommunities;
import io.meshgw.bgp.policy.Action.AddLargeCommunities;
import io.meshgw.bgp.policy.Action.PrependAs;
import io.meshgw.bgp.policy.Action.SetLocalPref;
import io.meshgw.bgp.policy.Action.SetMed;
import io.meshgw.bgp.policy.Condition.AsPathMatches;
import io.meshgw.bgp.policy.Condition.HasCommunity;
import io.meshgw.bgp.policy.Condition.HasLargeCommunity;
import io.meshgw.bgp.policy.Condition.InPrefixList;
import io.meshgw.bgp.policy.PolicyRoute.LargeCommunity;
import io.meshgw.bgp.policy.Statement.Disposition;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static PolicyRoute route(String prefix, List<Long> path, Set<Long> communities) {
        return new PolicyRoute(
                RoutePrefix.parse(prefix), path, communities, Set.of(), OptionalLong.empty(), OptionalLong.empty());
    }

    @Test
    void prefixListsFollowRouterGeLeSemantics() {
        var exact = new PrefixList("x", List.of(PrefixListEntry.permit("10.0.0.0/8")));
        assertThat(exact.permits(RoutePrefix.parse("10.0.0.0/8"))).isTrue();
        assertThat(exact.permits(RoutePrefix.parse("10.1.0.0/16")))
                .as("exact without ge/le")
                .isFalse();

        var range = new PrefixList("r", List.of(PrefixListEntry.permit("10.0.0.0/8", 16, 24)));
        assertThat(range.permits(RoutePrefix.parse("10.1.0.0/16"))).isTrue();
        assertThat(range.permits(RoutePrefix.parse("10.1.2.0/24"))).isTrue();
        assertThat(range.permits(RoutePrefix.parse("10.1.2.128/25"))).isFalse();
        assertThat(range.permits(RoutePrefix.parse("11.0.0.0/16")))
                .as("outside the covering prefix")
                .isFalse();

        var geOnly = new PrefixList("g", List.of(PrefixListEntry.permit("192.0.2.0/24", 28, -1)));
        assertThat(geOnly.permits(RoutePrefix.parse("192.0.2.16/32"))).isTrue();
        assertThat(geOnly.permits(RoutePrefix.parse("192.0.2.0/24"))).isFalse();
    }

    @Test
    void theFirstMatchingEntryDecidesAndNoMatchDenies() {
        var list = new PrefixList(
                "l",
                List.of(PrefixListEntry.deny("10.66.0.0/16", 16, 32), PrefixListEntry.permit("10.0.0.0/8", 8, 32)));
        assertThat(list.permits(RoutePrefix.parse("10.66.1.0/24"))).isFalse();
        assertThat(list.permits(RoutePrefix.parse("10.67.1.0/24"))).isTrue();
        assertThat(list.permits(RoutePrefix.parse("172.16.0.0/12"))).isFalse();
    }

    @Test
    void ipv6PrefixesMatchLikeIpv4() {
        var list = new PrefixList("v6", List.of(PrefixListEntry.permit("2001:db8::/32", 48, 64)));
        assertThat(list.permits(RoutePrefix.parse("2001:db8:1::/48"))).isTrue();
        assertThat(list.permits(RoutePrefix.parse("2001:db9::/48"))).isFalse();
        assertThat(list.permits(RoutePrefix.parse("10.0.0.0/8")))
                .as("other family")
                .isFalse();
    }

    @Test
    void badPrefixesAndEntriesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.1/8")).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
        assertThatThrownBy(() -> RoutePrefix.parse("example.com/24")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0")).hasMessageContaining("expected address/length");
        assertThatThrownBy(() -> PrefixListEntry.permit("10.0.0.0/16", 8, 24))
                .hasMessageContaining("need 16 <= ge <= le <= 32");
    }

    @Test
    void asPathExpressionsUseUnderscoreAsABoundary() {
        var r = route("10.0.0.0/24", List.of(65001L, 65010L, 650100L), Set.of());
        assertThat(AsPathMatches.of("^65001_").test(r)).isTrue();
        assertThat(AsPathMatches.of("_65010_").test(r)).isTrue();
        assertThat(AsPathMatches.of("_6501_").test(r))
                .as("not a substring of an ASN")
                .isFalse();
        assertThat(AsPathMatches.of("_650100$").test(r)).isTrue();
        assertThatThrownBy(() -> AsPathMatches.of("(65001")).hasMessageContaining("is not valid");
    }

    @Test
    void statementsRewriteThenAcceptOrRejectAndNextCarriesRewrites() {
        long blackhole = PolicyRoute.community("65535:666");
        var policy = new Policy(
                "import-dc",
                List.of(
                        new Statement(
                                "drop-blackholed", List.of(new HasCommunity(blackhole)), List.of(), Disposition.REJECT),
                        new Statement(
                                "tag",
                                List.of(),
                                List.of(new AddCommunities(Set.of(PolicyRoute.community("65000:1")))),
                                Disposition.NEXT),
                        new Statement(
                                "prefer-dc1",
                                List.of(AsPathMatches.of("^65001_")),
                                List.of(new SetLocalPref(200), new SetMed(10)),
                                Disposition.ACCEPT)),
                false);

        assertThat(policy.evaluate(route("10.1.0.0/24", List.of(65001L), Set.of(blackhole))))
                .isEmpty();

        var accepted =
                policy.evaluate(route("10.1.0.0/24", List.of(65001L), Set.of())).orElseThrow();
        assertThat(accepted.localPref()).hasValue(200);
        assertThat(accepted.med()).hasValue(10);
        assertThat(accepted.communities()).containsExactly(PolicyRoute.community("65000:1"));

        assertThat(policy.evaluate(route("10.2.0.0/24", List.of(65002L), Set.of())))
                .as("no accepting statement and default reject")
                .isEmpty();
    }

    @Test
    void largeCommunityMatchAndExportRewrites() {
        var lc = new LargeCommunity(4200000000L, 1, 2);
        var policy = new Policy(
                "export",
                List.of(new Statement(
                        "prepend-tagged",
                        List.of(
                                new HasLargeCommunity(lc),
                                new InPrefixList(new PrefixList(
                                        "vips", List.of(PrefixListEntry.permit("198.51.100.0/24", 24, 32))))),
                        List.of(
                                new PrependAs(65000, 2),
                                new AddLargeCommunities(Set.of(new LargeCommunity(65000, 0, 1)))),
                        Disposition.ACCEPT)),
                false);
        var r = new PolicyRoute(
                RoutePrefix.parse("198.51.100.7/32"),
                List.of(65000L),
                Set.of(),
                Set.of(lc),
                OptionalLong.empty(),
                OptionalLong.empty());
        var out = policy.evaluate(r).orElseThrow();
        assertThat(out.asPath()).containsExactly(65000L, 65000L, 65000L);
        assertThat(out.largeCommunities()).contains(lc, new LargeCommunity(65000, 0, 1));
        assertThat(Policy.rejectAll().evaluate(r)).isEmpty();
        assertThat(Policy.acceptAll().evaluate(r)).contains(r);
    }

    @Test
    void communityTextIsValidated() {
        assertThat(PolicyRoute.community("65535:666")).isEqualTo(0xFFFF029AL);
        assertThatThrownBy(() -> PolicyRoute.community("70000:1")).hasMessageContaining("outside 0..65535");
        assertThatThrownBy(() -> new PrependAs(65000, 0)).hasMessageContaining("1..32");
    }
}
