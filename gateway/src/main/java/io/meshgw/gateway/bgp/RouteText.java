package io.meshgw.gateway.bgp;

import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.gateway.api.v1.RouteView;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Route attributes as the admin API, the CLI and CRD status write them. */
public final class RouteText {

    private RouteText() {}

    /**
     * The next hop in canonical text, when the route has one. An IPv6 route carries it in
     * MP_REACH_NLRI, not in NEXT_HOP (RFC 4760 §3); of a global and a link-local address there
     * (RFC 2545 §3) the global one is shown.
     */
    public static Optional<String> nextHop(RouteAttributes a) {
        Optional<String> mp = a.get(PathAttribute.MpReachNlri.class)
                .map(PathAttribute.MpReachNlri::nextHop)
                .filter(n -> n.length == 4 || n.length >= 16)
                .map(n -> Prefix.addressText(n.length == 4 ? n : Arrays.copyOf(n, 16)));
        return mp.or(() -> a.get(PathAttribute.NextHop.class).map(n -> Prefix.addressText(n.address())));
    }

    /** RFC 1997 communities as {@code asn:value}. */
    public static List<String> communities(RouteAttributes a) {
        return a.get(PathAttribute.Communities.class)
                .map(c -> c.values().stream()
                        .map(v -> (v >>> 16) + ":" + (v & 0xFFFF))
                        .toList())
                .orElse(List.of());
    }

    /** Every AS of the path in order, sets flattened; empty for a route originated here. */
    public static List<Long> asPath(RouteAttributes a) {
        return a.get(PathAttribute.AsPath.class)
                .map(PathAttribute.AsPath::flatten)
                .orElse(List.of());
    }

    /** One route as the admin API shows it; {@code from} is a session's name or {@code local}. */
    static RouteView view(String prefix, String from, RouteAttributes a) {
        return new RouteView(
                prefix,
                nextHop(a).orElse(null),
                from,
                asPath(a),
                communities(a),
                a.get(PathAttribute.MultiExitDisc.class)
                        .map(PathAttribute.MultiExitDisc::value)
                        .orElse(null),
                a.get(PathAttribute.LocalPref.class)
                        .map(PathAttribute.LocalPref::value)
                        .orElse(null));
    }
}
