package io.meshgw.operator.model;

import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public final class BgpPolicyValidator {
    private BgpPolicyValidator() {}

    public static Validation validate(BgpPolicySpec spec) {
        var result = Validation.OK;
        for (int i = 0; i < spec.statements.size(); i++) {
            var statement = spec.statements.get(i);
            String at = "spec.statements[" + i + "]";
            if (statement.actions == null) {
                result = result.and(Validation.of(at + ".actions", "is required"));
            } else {
                result = result.and(communities(at + ".actions.addCommunities", statement.actions.addCommunities));
            }
            var match = statement.match;
            if (match == null) continue;
            String path = at + ".match";
            result = result.and(prefixes(path + ".prefixes", match.prefixes))
                    .and(communities(path + ".communities", match.communities))
                    .and(largeCommunities(path + ".largeCommunities", match.largeCommunities));
            if (match.asPathRegex != null) result = result.and(regex(path + ".asPathRegex", match.asPathRegex));
        }
        return result;
    }

    static Validation regex(String path, String regex) {
        try {
            Pattern.compile(regex);
            return Validation.OK;
        } catch (PatternSyntaxException e) {
            return Validation.of(path, "'" + regex + "' is not a valid regular expression: " + e.getDescription());
        }
    }

    /** Prefix-list entries: valid CIDR, and length <= ge <= le <= address bits when given. */
    public static Validation prefixes(String path, List<PrefixMatch> entries) {
        var result = Validation.OK;
        for (int i = 0; i < entries.size(); i++) {
            var entry = entries.get(i);
            String at = path + "[" + i + "]";
            switch (CidrText.parse(entry.prefix)) {
                case CidrText.Invalid(String reason) -> result = result.and(Validation.of(at + ".prefix", reason));
                case CidrText.Ok(var prefix) -> {
                    int bits = prefix.family().bits();
                    int ge = entry.ge == null ? prefix.length() : entry.ge;
                    int le = entry.le == null ? Math.max(ge, prefix.length()) : entry.le;
                    if (ge < prefix.length() || ge > le || le > bits) {
                        result = result.and(Validation.of(
                                at,
                                "ge/le must satisfy " + prefix.length() + " <= ge <= le <= " + bits + " (got ge=" + ge
                                        + ", le=" + le + ")"));
                    }
                }
            }
        }
        return result;
    }

    /** RFC 1997 communities, {@code asn:value} with both parts 0..65535. */
    public static Validation communities(String path, List<String> communities) {
        return each(path, communities, Community::parse);
    }

    /** RFC 8092 large communities, {@code global:local1:local2} with each part 0..4294967295. */
    public static Validation largeCommunities(String path, List<String> communities) {
        return each(path, communities, LargeCommunity::parse);
    }

    private static Validation each(String path, List<String> texts, Function<String, ?> parse) {
        var result = Validation.OK;
        for (int i = 0; i < texts.size(); i++) {
            try {
                parse.apply(texts.get(i));
            } catch (IllegalArgumentException e) {
                result = result.and(Validation.of(path + "[" + i + "]", e.getMessage()));
            }
        }
        return result;
    }
}
