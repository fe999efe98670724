package io.meshgw.operator.model;

import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.PrefixMatch;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

public final class BgpPolicyValidator {
    private BgpPolicyValidator() {}

    public static Validation validate(BgpPolicySpec spec) {
        var result = Validation.OK;
        for (int i = 0; i < spec.statements.size(); i++) {
            var match = spec.statements.get(i).match;
            if (match == null) continue;
            String path = "spec.statements[" + i + "].match";
            result = result.and(prefixes(path + ".prefixes", match.prefixes));
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
            switch (Cidr.parse(entry.prefix)) {
                case Cidr.Invalid(String reason) -> result = result.and(Validation.of(at + ".prefix", reason));
                case Cidr.Ok(Cidr cidr) -> {
                    int bits = IpAddresses.bits(cidr.network());
                    int ge = entry.ge == null ? cidr.length() : entry.ge;
                    int le = entry.le == null ? Math.max(ge, cidr.length()) : entry.le;
                    if (ge < cidr.length() || ge > le || le > bits) {
                        result = result.and(Validation.of(
                                at,
                                "ge/le must satisfy " + cidr.length() + " <= ge <= le <= " + bits + " (got ge=" + ge
                                        + ", le=" + le + ")"));
                    }
                }
            }
        }
        return result;
    }
}
