package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.PrefixMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class BgpPolicyValidatorTest {
    static BgpPolicySpec policy(String regex, PrefixMatch... prefixes) {
        var statement = new BgpPolicySpec.Statement();
        statement.match = new BgpPolicySpec.Match();
        statement.match.asPathRegex = regex;
        statement.match.prefixes.addAll(List.of(prefixes));
        statement.actions = new BgpPolicySpec.Actions();
        statement.actions.result = BgpPolicySpec.Result.ACCEPT;
        var spec = new BgpPolicySpec();
        var any = new BgpPolicySpec.Statement(); // no match: matches everything, nothing to check
        any.actions = new BgpPolicySpec.Actions();
        any.actions.result = BgpPolicySpec.Result.REJECT;
        spec.statements.add(any);
        spec.statements.add(statement);
        return spec;
    }

    @Test
    void acceptsCompilingRegexAndWellFormedPrefixes() {
        var spec = policy(
                "^65001( \\d+)*$", new PrefixMatch("10.0.0.0/8", 16, 24), new PrefixMatch("2001:db8::/32", null, 48));
        assertThat(BgpPolicyValidator.validate(spec).messages()).isEmpty();
    }

    @Test
    void rejectsARegexThatDoesNotCompile() {
        assertThat(BgpPolicyValidator.validate(policy("(65001")).messages())
                .singleElement()
                .asString()
                .startsWith("spec.statements[1].match.asPathRegex: '(65001' is not a valid regular expression: ");
    }

    @Test
    void rejectsBadPrefixEntries() {
        var spec = policy(null, new PrefixMatch("10.0.0.1/8", null, null), new PrefixMatch("10.0.0.0/16", 8, 24));
        assertThat(BgpPolicyValidator.validate(spec).messages())
                .containsExactly(
                        "spec.statements[1].match.prefixes[0].prefix: '10.0.0.1/8' has host bits set",
                        "spec.statements[1].match.prefixes[1]: ge/le must satisfy 16 <= ge <= le <= 32 (got ge=8, le=24)");
    }

    @Test
    void communitiesMustParseAndEveryStatementNeedsActions() {
        var spec = policy(null);
        var statement = spec.statements.get(1);
        statement.match.communities = List.of("65000:100", "65536:1");
        statement.match.largeCommunities = List.of("4200000000:1:2", "1:2");
        statement.actions.addCommunities = List.of("65000");
        spec.statements.getFirst().actions = null;
        assertThat(BgpPolicyValidator.validate(spec).messages())
                .containsExactly(
                        "spec.statements[0].actions: is required",
                        "spec.statements[1].actions.addCommunities[0]: community '65000' is not"
                                + " <0..65535>:<0..65535>",
                        "spec.statements[1].match.communities[1]: community '65536:1' has a part outside 0..65535",
                        "spec.statements[1].match.largeCommunities[1]: large community '1:2' is not"
                                + " <global>:<local1>:<local2>");
    }
}
