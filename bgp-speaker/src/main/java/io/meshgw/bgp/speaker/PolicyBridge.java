package io.meshgw.bgp.speaker;

import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import io.meshgw.bgp.wire.Prefix;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Maps wire attributes to policy's route view and policy's rewrites back onto the attributes. */
final class PolicyBridge {

    private PolicyBridge() {}

    /** A route learned from a neighbor. */
    static PolicyRoute toPolicy(Prefix p, List<PathAttribute> attrs) {
        return toPolicy(p, attrs, false);
    }

    /**
     * @param locallyOriginated the route is the Loc-RIB's local entry ({@link io.meshgw.bgp.rib.LocRib#LOCAL}), not
     *     one learned from a neighbor
     */
    static PolicyRoute toPolicy(Prefix p, List<PathAttribute> attrs, boolean locallyOriginated) {
        List<Long> path = List.of();
        Set<Long> communities = new HashSet<>();
        Set<PolicyRoute.LargeCommunity> large = new HashSet<>();
        OptionalLong lp = OptionalLong.empty();
        OptionalLong med = OptionalLong.empty();
        for (PathAttribute a : attrs) {
            switch (a) {
                case PathAttribute.AsPath x -> path = x.flatten();
                case PathAttribute.Communities x -> communities.addAll(x.values());
                case PathAttribute.LargeCommunities x ->
                    x.values()
                            .forEach(
                                    l -> large.add(new PolicyRoute.LargeCommunity(l.global(), l.local1(), l.local2())));
                case PathAttribute.LocalPref x -> lp = OptionalLong.of(x.value());
                case PathAttribute.MultiExitDisc x -> med = OptionalLong.of(x.value());
                default -> {}
            }
        }
        return new PolicyRoute(
                new RoutePrefix(p.address(), p.length()), path, communities, large, lp, med, locallyOriginated);
    }

    /** The attributes with the policy's rewrites applied (unchanged parts keep their instances). */
    static List<PathAttribute> apply(List<PathAttribute> attrs, PolicyRoute r) {
        PolicyRoute before = toPolicy(
                new Prefix(
                        r.prefix().ipv6() ? io.meshgw.bgp.wire.Afi.IPV6 : io.meshgw.bgp.wire.Afi.IPV4,
                        r.prefix().network(),
                        r.prefix().length()),
                attrs,
                r.locallyOriginated());
        if (before.equals(r)) {
            return attrs;
        }
        List<PathAttribute> out = new ArrayList<>();
        for (PathAttribute a : attrs) {
            switch (a) {
                case PathAttribute.AsPath x -> {
                    int added = r.asPath().size() - before.asPath().size();
                    if (added > 0) {
                        List<Segment> segs = new ArrayList<>(x.segments());
                        segs.addFirst(
                                new Segment(Segment.AS_SEQUENCE, r.asPath().subList(0, added)));
                        out.add(new PathAttribute.AsPath(segs));
                    } else {
                        out.add(x);
                    }
                }
                case PathAttribute.Communities x -> {}
                case PathAttribute.LargeCommunities x -> {}
                case PathAttribute.LocalPref x -> {}
                case PathAttribute.MultiExitDisc x -> {}
                default -> out.add(a);
            }
        }
        if (!r.communities().isEmpty()) {
            out.add(new PathAttribute.Communities(
                    r.communities().stream().sorted().toList()));
        }
        if (!r.largeCommunities().isEmpty()) {
            out.add(new PathAttribute.LargeCommunities(r.largeCommunities().stream()
                    .map(l -> new PathAttribute.LargeCommunities.Large(l.global(), l.local1(), l.local2()))
                    .sorted(java.util.Comparator.comparingLong(PathAttribute.LargeCommunities.Large::global)
                            .thenComparingLong(PathAttribute.LargeCommunities.Large::local1)
                            .thenComparingLong(PathAttribute.LargeCommunities.Large::local2))
                    .toList()));
        }
        r.localPref().ifPresent(v -> out.add(new PathAttribute.LocalPref(v)));
        r.med().ifPresent(v -> out.add(new PathAttribute.MultiExitDisc(v)));
        return out;
    }
}
