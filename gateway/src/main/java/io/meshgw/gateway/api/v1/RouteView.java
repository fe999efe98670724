package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * One route, an element of {@code GET /api/v1/bgp/routes}.
 *
 * @param nextHop the NEXT_HOP (the MP_REACH_NLRI next hop for IPv6), null for a route this
 *     gateway originates
 * @param from the session it was learned from, or {@code local}
 * @param asPath every AS of the path in order, sets flattened
 * @param communities RFC 1997 communities as {@code asn:value}
 * @param med the MULTI_EXIT_DISC, null when the route has none
 * @param localPref the LOCAL_PREF, null when the route has none
 */
public record RouteView(
        String prefix,
        String nextHop,
        String from,
        List<Long> asPath,
        List<String> communities,
        Long med,
        Long localPref) {}
