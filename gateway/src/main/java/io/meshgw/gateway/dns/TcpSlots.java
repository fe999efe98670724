package io.meshgw.gateway.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's TCP connections: so many in all, so many per client address, and so many per IPv6 /64, since a
 * host with a /64 has as many addresses as it likes. A connection that would pass a bound is not taken.
 */
final class TcpSlots {

    private final int total;
    private final int perAddress;
    private final int perIpv6Network;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private final Map<InetAddress, Integer> byNetwork = new HashMap<>();
    private int taken;

    TcpSlots(int total, int perAddress, int perIpv6Network) {
        this.total = total;
        this.perAddress = perAddress;
        this.perIpv6Network = perIpv6Network;
    }

    /** Takes a slot for a connection from {@code client}; false when a bound would be passed. */
    synchronized boolean take(InetAddress client) {
        boolean v6 = client instanceof Inet6Address;
        InetAddress network = ClientKey.of(client);
        if (taken >= total
                || byAddress.getOrDefault(client, 0) >= perAddress
                || (v6 && byNetwork.getOrDefault(network, 0) >= perIpv6Network)) {
            return false;
        }
        taken++;
        byAddress.merge(client, 1, Integer::sum);
        if (v6) {
            byNetwork.merge(network, 1, Integer::sum);
        }
        return true;
    }

    /** Gives back a slot {@link #take} gave. */
    synchronized void release(InetAddress client) {
        taken--;
        byAddress.computeIfPresent(client, (k, n) -> n > 1 ? n - 1 : null);
        if (client instanceof Inet6Address) {
            byNetwork.computeIfPresent(ClientKey.of(client), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    /** Connections held now. */
    synchronized int taken() {
        return taken;
    }
}
