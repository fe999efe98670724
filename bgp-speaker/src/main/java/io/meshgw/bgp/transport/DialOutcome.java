package io.meshgw.bgp.transport;

/** How a connection we opened turned out; called once, on the transport's thread. */
public interface DialOutcome {

    /** The connection is up. Attach a listener before returning: bytes may follow at once. */
    void connected(TcpConnection connection);

    /** No connection: the socket options could not be set or the connect failed. */
    void failed(String why);
}
