package io.meshgw.bgp.policy;

import java.util.regex.Pattern;

/** A match clause of a policy statement. */
public sealed interface Condition {

    boolean test(PolicyRoute r);

    /** The route's prefix is permitted by a prefix list. */
    record InPrefixList(PrefixList list) implements Condition {
        @Override
        public boolean test(PolicyRoute r) {
            return list.permits(r.prefix());
        }
    }

    /** The route carries the community. */
    record HasCommunity(long community) implements Condition {
        @Override
        public boolean test(PolicyRoute r) {
            return r.communities().contains(community);
        }
    }

    /** The route carries the large community. */
    record HasLargeCommunity(PolicyRoute.LargeCommunity community) implements Condition {
        @Override
        public boolean test(PolicyRoute r) {
            return r.largeCommunities().contains(community);
        }
    }

    /**
     * The speaker originated the route itself. This is the route's source, not its AS path: a route an iBGP neighbor
     * originated has an empty path too, and one from an eBGP neighbor may have any path.
     */
    record OriginatedLocally() implements Condition {
        @Override
        public boolean test(PolicyRoute r) {
            return r.locallyOriginated();
        }
    }

    /**
     * The AS path matches a router-style regular expression over space-separated AS numbers,
     * where {@code _} stands for a boundary (start, end or the space between two ASNs), e.g.
     * {@code ^65001_} (learned from 65001) or {@code _65010$} (originated by 65010).
     */
    record AsPathMatches(String expression, Pattern compiled) implements Condition {

        public static AsPathMatches of(String expression) {
            String java = expression.replace("_", "(?:^|$| )");
            try {
                return new AsPathMatches(expression, Pattern.compile(java));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException(
                        "AS-path expression '" + expression + "' is not valid: " + e.getDescription(), e);
            }
        }

        @Override
        public boolean test(PolicyRoute r) {
            return compiled.matcher(r.asPathText()).find();
        }

        // A Pattern has no value equality: two conditions are the same when their expressions are, so a
        // configuration built again from the same policy equals the one the speaker runs.
        @Override
        public boolean equals(Object o) {
            return o instanceof AsPathMatches other && expression.equals(other.expression);
        }

        @Override
        public int hashCode() {
            return expression.hashCode();
        }
    }
}
