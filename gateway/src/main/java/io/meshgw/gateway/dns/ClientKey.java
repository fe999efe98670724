package io.meshgw.gateway.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** Whom a limit counts: an IPv4 address, or an IPv6 /64, which one host (or one customer) holds whole. */
final class ClientKey {

    private ClientKey() {}

    /** The client's IPv6 /64 (its interface identifier zeroed), or its IPv4 address. */
    static InetAddress of(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] network = Arrays.copyOf(client.getAddress(), 16);
        Arrays.fill(network, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(network);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
