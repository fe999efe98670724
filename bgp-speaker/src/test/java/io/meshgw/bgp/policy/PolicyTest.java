package io.meshgw.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static Statement statement(String name, List<Condition> when, List<Action> then, Disposition d) {
        return new Statement(name, when, then, d);
    }

    @Test
    void theFirstMatchingStatementDecides() {
        var r = route("10.1.0.0/24", List.of(65001L), Set.of());
        var first = statement("first", List.of(), List.of(new SetLocalPref(200)), Disposition.ACCEPT);
        var second = statement("second", List.of(), List.of(new SetLocalPref(300)), Disposition.ACCEPT);
        assertThat(new Policy("p", List.of(first, second), false)
                        .evaluate(r)
                        .orElseThrow()
                        .localPref())
                .hasValue(200);
        var reject = statement("reject", List.of(), List.of(), Disposition.REJECT);
        assertThat(new Policy("p", List.of(reject, first), true).evaluate(r)).isEmpty();
        assertThat(new Policy("p", List.of(first, reject), false).evaluate(r)).isPresent();
    }

    @Test
    void everyConditionOfAStatementMustHold() {
        long tag = PolicyRoute.community("65000:1");
        var both = statement(
                "both",
                List.of(AsPathMatches.of("^65001_"), new HasCommunity(tag)),
                List.of(new SetMed(7)),
                Disposition.ACCEPT);
        var policy = new Policy("and", List.of(both), false);
        assertThat(policy.evaluate(route("10.0.0.0/24", List.of(65001L), Set.of(tag))))
                .hasValueSatisfying(x -> assertThat(x.med()).hasValue(7));
        assertThat(policy.evaluate(route("10.0.0.0/24", List.of(65001L), Set.of())))
                .as("only the AS path matches")
                .isEmpty();
        assertThat(policy.evaluate(route("10.0.0.0/24", List.of(65002L), Set.of(tag))))
                .as("only the community matches")
                .isEmpty();
    }

    @Test
    void aNextStatementsRewritesAreSeenByLaterConditionsAndKeptByTheDefault() {
        long tag = PolicyRoute.community("65000:1");
        var tagIt = statement(
                "tag",
                List.of(AsPathMatches.of("^65001_")),
                List.of(new AddCommunities(Set.of(tag))),
                Disposition.NEXT);
        var preferTagged =
                statement("prefer", List.of(new HasCommunity(tag)), List.of(new SetLocalPref(250)), Disposition.ACCEPT);
        var policy = new Policy("chain", List.of(tagIt, preferTagged), false);
        var out =
                policy.evaluate(route("10.0.0.0/24", List.of(65001L), Set.of())).orElseThrow();
        assertThat(out.communities()).containsExactly(tag);
        assertThat(out.localPref()).hasValue(250);

        var acceptRest = new Policy("tag-only", List.of(tagIt), true);
        assertThat(acceptRest.evaluate(route("10.0.0.0/24", List.of(65001L), Set.of())))
                .as("no statement accepted: the default applies to the rewritten route")
                .hasValueSatisfying(x -> assertThat(x.communities()).containsExactly(tag));
        var untouched = route("10.0.0.0/24", List.of(65002L), Set.of());
        assertThat(acceptRest.evaluate(untouched)).contains(untouched);
        assertThat(new Policy("tag-only", List.of(tagIt), false).evaluate(untouched))
                .as("no match and default reject")
                .isEmpty();
    }

    @Test
    void actionsApplyInTheirOrder() {
        var policy = new Policy(
                "order",
                List.of(statement(
                        "s",
                        List.of(),
                        List.of(new SetLocalPref(150), new PrependAs(65000, 1), new SetLocalPref(90)),
                        Disposition.ACCEPT)),
                false);
        var out =
                policy.evaluate(route("10.0.0.0/24", List.of(65001L), Set.of())).orElseThrow();
        assertThat(out.localPref()).hasValue(90);
        assertThat(out.asPath()).containsExactly(65000L, 65001L);
    }

    @Test
    void onlyAPolicyWithoutStatementsIsUnconditional() {
        assertThat(Policy.acceptAll().unconditional()).isTrue();
        assertThat(Policy.rejectAll().unconditional()).isTrue();
        var r = route("10.0.0.0/24", List.of(), Set.of());
        assertThat(Policy.acceptAll().evaluate(r)).contains(r);
        assertThat(Policy.rejectAll().evaluate(r)).isEmpty();
        assertThat(new Policy("one", List.of(statement("s", List.of(), List.of(), Disposition.ACCEPT)), false)
                        .unconditional())
                .isFalse();
    }
}
