package io.meshgw.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.policy.Condition.AsPathMatches;
import io.meshgw.bgp.policy.Condition.HasCommunity;
import io.meshgw.bgp.policy.Condition.HasLargeCommunity;
import io.meshgw.bgp.policy.Condition.InPrefixList;
import io.meshgw.bgp.policy.PolicyRoute.LargeCommunity;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What each match clause of a policy statement matches, and what it does not. */
class ConditionTest {

    private static PolicyRoute route(String prefix, List<Long> path, Set<Long> communities, Set<LargeCommunity> large) {
        return new PolicyRoute(
                RoutePrefix.parse(prefix), path, communities, large, OptionalLong.empty(), OptionalLong.empty());
    }

    private static PolicyRoute withPath(Long... asns) {
        return route("10.0.0.0/24", List.of(asns), Set.of(), Set.of());
    }

    @Test
    void aPrefixListConditionHoldsExactlyWhenTheListPermits() {
        var vips = new InPrefixList(new PrefixList("vips", List.of(PrefixListEntry.permit("198.51.100.0/24", 24, 32))));
        assertThat(vips.test(route("198.51.100.7/32", List.of(), Set.of(), Set.of())))
                .isTrue();
        assertThat(vips.test(route("198.51.101.0/24", List.of(), Set.of(), Set.of())))
                .isFalse();
        var denying =
                new InPrefixList(new PrefixList("deny", List.of(PrefixListEntry.deny("198.51.100.0/24", 24, 32))));
        assertThat(denying.test(route("198.51.100.7/32", List.of(), Set.of(), Set.of())))
                .as("a matching deny entry")
                .isFalse();
    }

    @Test
    void aCommunityConditionLooksForThatExactCommunity() {
        long blackhole = PolicyRoute.community("65535:666");
        var has = new HasCommunity(blackhole);
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(1L, blackhole), Set.of())))
                .isTrue();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(PolicyRoute.community("65535:667")), Set.of())))
                .isFalse();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of(new LargeCommunity(65535, 666, 0)))))
                .as("a large community is another attribute")
                .isFalse();
    }

    @Test
    void aLargeCommunityConditionComparesAllThreeParts() {
        var lc = new LargeCommunity(4200000000L, 1, 2);
        var has = new HasLargeCommunity(lc);
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of(lc))))
                .isTrue();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of(new LargeCommunity(4200000000L, 1, 3)))))
                .isFalse();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of(new LargeCommunity(4200000000L, 2, 2)))))
                .isFalse();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of(new LargeCommunity(65000, 1, 2)))))
                .isFalse();
        assertThat(has.test(route("10.0.0.0/8", List.of(), Set.of(), Set.of()))).isFalse();
        assertThat(lc).hasToString("4200000000:1:2");
    }

    /** expression, AS path (space separated, empty for a local route), matched. */
    @ParameterizedTest(name = "''{0}'' on [{1}]: {2}")
    @CsvSource({
        "^65001_,        65001 65010 650100, true",
        "^65001_,        650011 65010,       false",
        "^65001_,        65010 65001,        false",
        "_65010_,        65001 65010 650100, true",
        "_65010_,        65001 650100,       false",
        "_6501_,         65001 65010 650100, false",
        "_650100$,       65001 65010 650100, true",
        "_65010$,        65001 65010 650100, false",
        "_65001_,        65001,              true",
        "^65001 65010_,  65001 65010 650100, true",
        "^65001 65010$,  65001 65010 650100, false",
        "^$,             '',                 true",
        "^$,             65001,              false",
        ".*,             '',                 true",
        "_(65001|65002)_, 64512 65002,       true",
    })
    void asPathExpressionsMatchWholeAsNumbersWithUnderscoreAsABoundary(
            String expression, String path, boolean matched) {
        Long[] asns = path.isBlank()
                ? new Long[0]
                : Arrays.stream(path.split(" ")).map(Long::valueOf).toArray(Long[]::new);
        assertThat(AsPathMatches.of(expression).test(withPath(asns))).isEqualTo(matched);
    }

    @Test
    void anInvalidExpressionIsRejectedWithTheReason() {
        assertThatThrownBy(() -> AsPathMatches.of("(65001"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("AS-path expression '(65001' is not valid");
        assertThat(AsPathMatches.of("^65001_").expression()).isEqualTo("^65001_");
    }

    @Test
    void anAsPathConditionBuiltAgainFromTheSameExpressionIsTheSame() {
        // The gateway compares the policy it builds on each pass with the one the speaker runs.
        AsPathMatches a = AsPathMatches.of("_65001$");

        assertThat(AsPathMatches.of("_65001$")).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(AsPathMatches.of("_65002$")).isNotEqualTo(a);
        assertThat(AsPathMatches.of("_65002$").hashCode())
                .as("spread in a hash set")
                .isNotEqualTo(a.hashCode());
        assertThat(a).isNotEqualTo("_65001$");
    }

    @Test
    void communityTextIsTwoSixteenBitHalves() {
        assertThat(PolicyRoute.community("65535:666")).isEqualTo(0xFFFF029AL);
        assertThat(PolicyRoute.community("0:0")).isZero();
        assertThat(PolicyRoute.community("0:5")).isEqualTo(5);
        assertThat(PolicyRoute.community("5:0")).isEqualTo(5L << 16);
        assertThat(PolicyRoute.community("65535:65535")).isEqualTo(0xFFFFFFFFL);
        for (String bad : List.of("65536:0", "0:65536", "-1:5", "5:-1")) {
            assertThatThrownBy(() -> PolicyRoute.community(bad))
                    .as(bad)
                    .hasMessageContaining("has a part outside 0..65535");
        }
        assertThatThrownBy(() -> PolicyRoute.community("65000")).hasMessageContaining("is not ASN:value");
        assertThatThrownBy(() -> PolicyRoute.community("1:2:3")).hasMessageContaining("is not ASN:value");
    }
}
