package io.meshgw.bgp.wire;

/**
 * ROUTE-REFRESH (RFC 2918 §3) with the RFC 7313 subtype in the reserved octet: 0 normal request,
 * 1 Beginning of Route Refresh, 2 End of Route Refresh.
 */
public record RouteRefresh(int afi, int safi, int subtype) implements BgpMessage {
    public static final int NORMAL = 0;
    public static final int BEGIN = 1;
    public static final int END = 2;

    @Override
    public int type() {
        return ROUTE_REFRESH;
    }
}
