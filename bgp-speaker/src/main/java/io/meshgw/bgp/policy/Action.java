package io.meshgw.bgp.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** A rewrite applied when a statement matches. */
public sealed interface Action {

    PolicyRoute apply(PolicyRoute r);

    record SetLocalPref(long value) implements Action {
        @Override
        public PolicyRoute apply(PolicyRoute r) {
            return new PolicyRoute(
                    r.prefix(),
                    r.asPath(),
                    r.communities(),
                    r.largeCommunities(),
                    OptionalLong.of(value),
                    r.med(),
                    r.locallyOriginated());
        }
    }

    record SetMed(long value) implements Action {
        @Override
        public PolicyRoute apply(PolicyRoute r) {
            return new PolicyRoute(
                    r.prefix(),
                    r.asPath(),
                    r.communities(),
                    r.largeCommunities(),
                    r.localPref(),
                    OptionalLong.of(value),
                    r.locallyOriginated());
        }
    }

    record AddCommunities(Set<Long> communities) implements Action {
        @Override
        public PolicyRoute apply(PolicyRoute r) {
            Set<Long> all = new HashSet<>(r.communities());
            all.addAll(communities);
            return new PolicyRoute(
                    r.prefix(), r.asPath(), all, r.largeCommunities(), r.localPref(), r.med(), r.locallyOriginated());
        }
    }

    record AddLargeCommunities(Set<PolicyRoute.LargeCommunity> communities) implements Action {
        @Override
        public PolicyRoute apply(PolicyRoute r) {
            Set<PolicyRoute.LargeCommunity> all = new HashSet<>(r.largeCommunities());
            all.addAll(communities);
            return new PolicyRoute(
                    r.prefix(), r.asPath(), r.communities(), all, r.localPref(), r.med(), r.locallyOriginated());
        }
    }

    /** Prepends {@code asn} {@code count} times (typically our own AS, on export). */
    record PrependAs(long asn, int count) implements Action {
        public PrependAs {
            if (count < 1 || count > 32) {
                throw new IllegalArgumentException("prepend count must be 1..32, was " + count);
            }
        }

        @Override
        public PolicyRoute apply(PolicyRoute r) {
            List<Long> path = new ArrayList<>(count + r.asPath().size());
            for (int i = 0; i < count; i++) {
                path.add(asn);
            }
            path.addAll(r.asPath());
            return new PolicyRoute(
                    r.prefix(),
                    path,
                    r.communities(),
                    r.largeCommunities(),
                    r.localPref(),
                    r.med(),
                    r.locallyOriginated());
        }
    }
}
