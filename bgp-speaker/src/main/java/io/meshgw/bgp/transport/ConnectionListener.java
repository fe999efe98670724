package io.meshgw.bgp.transport;

/** Receives what happens on a {@link TcpConnection}, on the transport's thread. */
public interface ConnectionListener {

    /** Bytes arrived, in stream order; message boundaries are the listener's business. */
    void received(byte[] bytes);

    /** The connection is closed, by either side. */
    void closed();

    /** The connection failed; it is being closed, and {@link #closed} follows. */
    void failed(Throwable cause);

    /**
     * The bytes queued for sending crossed a watermark: {@code false} above the high one (the
     * neighbor reads slower than we write), {@code true} once they drained below the low one.
     */
    void writabilityChanged(boolean writable);
}
