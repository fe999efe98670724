package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Optional;

/** Between the speaker's wire types and the product's values: prefixes, next hops and communities. */
final class SpeakerRoutes {

    private SpeakerRoutes() {}

    static IpPrefix prefix(Prefix p) {
        return IpPrefix.covering(IpAddress.of(p.address()), p.length());
    }

    static Prefix prefix(IpPrefix p) {
        return new Prefix(
                p.family() == io.meshgw.types.IpFamily.IPV4 ? Afi.IPV4 : Afi.IPV6,
                p.address().toBytes(),
                p.length());
    }

    /** The NEXT_HOP, or for MP-BGP routes the global next hop of MP_REACH_NLRI. */
    static Optional<IpAddress> nextHop(RouteAttributes a) {
        Optional<IpAddress> v4 = a.get(PathAttribute.NextHop.class).map(n -> IpAddress.of(n.address()));
        if (v4.isPresent()) {
            return v4;
        }
        return a.get(PathAttribute.MpReachNlri.class).flatMap(mp -> {
            byte[] nh = mp.nextHop();
            // RFC 2545 §3: 16 bytes global, or 32 bytes global followed by link-local.
            return nh.length == 16 || nh.length == 32
                    ? Optional.of(IpAddress.of(java.util.Arrays.copyOf(nh, 16)))
                    : nh.length == 4 ? Optional.of(IpAddress.of(nh)) : Optional.empty();
        });
    }

    static List<Community> communities(RouteAttributes a) {
        return a.get(PathAttribute.Communities.class)
                .map(c -> c.values().stream().map(Community::new).toList())
                .orElse(List.of());
    }

    static List<LargeCommunity> largeCommunities(RouteAttributes a) {
        return a.get(PathAttribute.LargeCommunities.class)
                .map(c -> c.values().stream()
                        .map(v -> new LargeCommunity(v.global(), v.local1(), v.local2()))
                        .toList())
                .orElse(List.of());
    }
}
