package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** A BgpPolicy as the speaker applies it: the first matching statement decides, no match rejects. */
public record PolicyConfig(ObjectKey policy, List<Statement> statements) {
    public PolicyConfig {
        statements = List.copyOf(statements);
    }

    public record Statement(String name, Match match, Actions actions) {}

    /** All present criteria must match; an empty match matches every route. */
    public record Match(
            List<PrefixRule> prefixes,
            List<Community> communities,
            List<LargeCommunity> largeCommunities,
            Optional<String> asPathRegex) {
        public static final Match ANY = new Match(List.of(), List.of(), List.of(), Optional.empty());

        public Match {
            prefixes = List.copyOf(prefixes);
            communities = List.copyOf(communities);
            largeCommunities = List.copyOf(largeCommunities);
        }
    }

    /**
     * A prefix-list entry: routes inside {@code prefix} whose length is {@code ge..le}.
     *
     * @param ge resolved: the prefix's length when the entry gave neither
     * @param le resolved: the family's width when only ge was given
     */
    public record PrefixRule(IpPrefix prefix, int ge, int le) {
        public PrefixRule {
            if (ge < prefix.length() || ge > le || le > prefix.family().bits()) {
                throw new IllegalArgumentException("prefix rule " + prefix + " ge " + ge + " le " + le + ": needs "
                        + prefix.length() + " <= ge <= le <= " + prefix.family().bits());
            }
        }

        /** True when {@code route} is inside the prefix and its length is ge..le. */
        public boolean matches(IpPrefix route) {
            return prefix.contains(route) && route.length() >= ge && route.length() <= le;
        }
    }

    public record Actions(
            boolean accept,
            OptionalLong setLocalPref,
            OptionalLong setMed,
            List<Community> addCommunities,
            OptionalInt prependAs) {
        public Actions {
            addCommunities = List.copyOf(addCommunities);
        }
    }
}
