package io.meshgw.bgp.speaker;

import io.meshgw.bgp.transport.ConnectionListener;
import io.meshgw.bgp.transport.TcpConnection;
import io.meshgw.bgp.wire.BgpError;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.FrameSplitter;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of a session. It cuts the byte stream into messages and hands them to its
 * {@link Session} on the speaker's thread; while the connection is parked during collision
 * resolution (RFC 4271 §6.8) the messages wait in a queue of at most {@link #PARKED_LIMIT} bytes.
 */
final class Connection implements ConnectionListener {

    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /**
     * What a parked connection may hold. Until it is chosen, the neighbor has nothing to send on
     * it but its OPEN (at most 4096 bytes before the OPENs settle larger messages, RFC 8654 §4)
     * and a KEEPALIVE or NOTIFICATION; more is a neighbor filling our memory, and it is closed.
     */
    static final int PARKED_LIMIT = 2 * 4096;

    private final Session session;
    private final boolean outbound;
    private final TcpConnection tcp;
    // RFC 8654 §4: until both sides have sent OPENs advertising extended messages (and the OPEN
    // itself, always) no message may exceed 4096 bytes; a longer length field ends the session at
    // once, not after the peer has sent (or trickled) that many bytes.
    private final FrameSplitter splitter = new FrameSplitter(new CodecOptions(false, false, true));
    private final Queue<byte[]> parkedMessages = new ArrayDeque<>();
    private int parkedBytes;
    private boolean parked;
    private boolean closed;

    Connection(Session session, boolean outbound, TcpConnection tcp) {
        this.session = session;
        this.outbound = outbound;
        this.tcp = tcp;
        tcp.attach(this);
    }

    /** Whether we opened it (rather than the neighbor). */
    boolean outbound() {
        return outbound;
    }

    InetSocketAddress localAddress() {
        return tcp.localAddress();
    }

    void park() {
        parked = true;
    }

    /** Stops parking and returns the messages that arrived meanwhile. */
    Queue<byte[]> unpark() {
        parked = false;
        Queue<byte[]> q = new ArrayDeque<>(parkedMessages);
        parkedMessages.clear();
        parkedBytes = 0;
        return q;
    }

    /** The OPEN exchange settled the limits: framing follows them from the next message on. */
    void negotiated(CodecOptions options) {
        splitter.negotiated(options);
    }

    /** Whether the neighbor takes what we send: false while our queue to it is above its high watermark. */
    boolean writable() {
        return !closed && tcp.writable();
    }

    void send(byte[] message) {
        if (!closed) {
            tcp.write(message);
            session.countSent();
        }
    }

    /** Flushes what was written, then closes. */
    void close() {
        if (!closed) {
            closed = true;
            tcp.close();
        }
    }

    @Override
    public void received(byte[] bytes) {
        BgpError err = splitter.feed(bytes, 0, bytes.length, m -> {
            if (parked) {
                park(m);
            } else if (!closed) {
                session.onMessage(this, m);
            }
        });
        if (err != null && !closed) {
            session.onFramingError(this, err);
        }
    }

    private void park(byte[] message) {
        if (closed) {
            return;
        }
        parkedBytes += message.length;
        if (parkedBytes > PARKED_LIMIT) {
            LOG.warn(
                    "closing a colliding connection from {}: it sent more than {} bytes while parked",
                    tcp.remoteAddress(),
                    PARKED_LIMIT);
            parkedMessages.clear();
            close();
            return;
        }
        parkedMessages.add(message);
    }

    @Override
    public void writabilityChanged(boolean writable) {
        if (!closed) {
            session.onWritabilityChanged(this, writable);
        }
    }

    @Override
    public void closed() {
        closed = true;
        session.onDisconnected(this);
    }

    @Override
    public void failed(Throwable cause) {
        session.noteError("connection error: " + cause.getMessage());
    }
}
