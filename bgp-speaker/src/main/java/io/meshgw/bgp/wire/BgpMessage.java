package io.meshgw.bgp.wire;

/** The BGP messages (RFC 4271 §4, RFC 2918), one record each. */
public sealed interface BgpMessage permits Open, Update, Notification, Keepalive, RouteRefresh {

    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    int ROUTE_REFRESH = 5;

    int type();
}
