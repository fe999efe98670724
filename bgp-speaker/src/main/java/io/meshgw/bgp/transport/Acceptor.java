package io.meshgw.bgp.transport;

/** Decides what becomes of a connection a neighbor opened to us. */
@FunctionalInterface
public interface Acceptor {

    /**
     * A connection was accepted: attach a listener to keep it, or close it. Runs on the
     * transport's thread before any byte of the connection is delivered.
     */
    void accepted(TcpConnection connection);
}
