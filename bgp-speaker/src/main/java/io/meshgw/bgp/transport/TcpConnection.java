package io.meshgw.bgp.transport;

import java.net.InetSocketAddress;

/** One TCP connection as a BGP session uses it: whole messages out, a byte stream in. */
public interface TcpConnection {

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();

    /** Where this connection's bytes, its end and its errors go from now on. */
    void attach(ConnectionListener listener);

    /**
     * GTSM (RFC 5082 §3) on an accepted connection: send with TTL 255 and drop packets that
     * crossed more than {@code hops} routers.
     *
     * @throws IllegalStateException when the kernel refuses the option
     */
    void requireGtsm(int hops);

    /**
     * The TTL (IPv6: hop limit) this connection's packets leave with, for eBGP multihop on an accepted connection.
     *
     * @throws IllegalStateException when the kernel refuses the option
     */
    void ttl(int ttl);

    /**
     * Queues {@code bytes} (one or more whole messages) and sends them. The queue is not bounded
     * here: callers stop producing while {@link #writable()} is false.
     */
    void write(byte[] bytes);

    /**
     * Whether the bytes queued and not yet taken by the kernel are below the high watermark; the
     * listener hears of each change ({@link ConnectionListener#writabilityChanged}).
     */
    boolean writable();

    /**
     * Lets what was written go out, then closes; a neighbor that does not read it within a few
     * seconds does not keep the connection open.
     */
    void close();

    /**
     * Closes at once with a TCP reset, dropping whatever is queued: for a connection nothing is
     * owed to, such as one from an address that is not a neighbor.
     */
    void abort();
}
