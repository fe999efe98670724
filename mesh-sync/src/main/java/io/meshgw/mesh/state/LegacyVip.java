package io.meshgw.mesh.state;

import java.net.InetAddress;

/** The address legacy hosts use for an exported service; the gateway announces it over BGP. */
public record LegacyVip(InetAddress address, int port) {

    public LegacyVip {
        if (address == null) {
            throw new IllegalArgumentException("legacy VIP has no address");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("legacy VIP port " + port + " is outside 1..65535");
        }
    }
}
