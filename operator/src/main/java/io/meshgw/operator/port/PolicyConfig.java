package io.meshgw.operator.port;

import java.util.List;

/** A BgpPolicy as the speaker applies it: the first matching statement decides, no match rejects. */
public record PolicyConfig(ObjectKey policy, List<Statement> statements) {
    public PolicyConfig {
        statements = List.copyOf(statements);
    }

    public record Statement(String name, Match match, Actions actions) {}

    /** All present criteria must match; an empty match matches every route. */
    public record Match(
            List<PrefixRule> prefixes, List<String> communities, List<String> largeCommunities, String asPathRegex) {
        public Match {
            prefixes = List.copyOf(prefixes);
            communities = List.copyOf(communities);
            largeCommunities = List.copyOf(largeCommunities);
        }
    }

    /** A prefix-list entry widened to lengths {@code ge..le}, both resolved (never null). */
    public record PrefixRule(String prefix, int ge, int le) {}

    public record Actions(
            boolean accept, Long setLocalPref, Long setMed, List<String> addCommunities, Integer prependAs) {
        public Actions {
            addCommunities = List.copyOf(addCommunities);
        }
    }
}
