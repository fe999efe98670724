package io.meshgw.bgp.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A connection to open to a neighbor.
 *
 * @param remote the neighbor's address and port
 * @param localAddress the source address to bind, if not the routing table's choice
 * @param md5Password the TCP-MD5 key (RFC 2385), set before the SYN goes out
 * @param gtsmHops GTSM (RFC 5082): accept only packets from at most this many routers away
 * @param multihopTtl without GTSM, the TTL our packets leave with (eBGP multihop); empty for the system's default
 */
public record DialRequest(
        InetSocketAddress remote,
        Optional<InetAddress> localAddress,
        Optional<String> md5Password,
        OptionalInt gtsmHops,
        OptionalInt multihopTtl) {}
