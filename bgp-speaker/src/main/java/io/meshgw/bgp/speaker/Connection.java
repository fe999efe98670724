package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.BgpError;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.FrameSplitter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * One TCP connection of a peer. It cuts the byte stream into messages and hands them to its
 * {@link Peer} on the speaker's event loop; while the connection is parked during collision
 * resolution (RFC 4271 §6.8) the messages wait in a queue.
 */
final class Connection extends ChannelInboundHandlerAdapter {

    final Peer peer;
    final boolean outbound;
    final Channel channel;
    // RFC 8654 §4: until both sides have sent OPENs advertising extended messages (and the OPEN
    // itself, always) no message may exceed 4096 bytes; a longer length field ends the session at
    // once, not after the peer has sent (or trickled) that many bytes.
    private final FrameSplitter splitter = new FrameSplitter(new CodecOptions(false, false, true));
    private final Queue<byte[]> parkedMessages = new ArrayDeque<>();
    private boolean parked;
    private boolean closed;

    Connection(Peer peer, boolean outbound, Channel channel) {
        this.peer = peer;
        this.outbound = outbound;
        this.channel = channel;
    }

    void park() {
        parked = true;
    }

    /** Stops parking and returns the messages that arrived meanwhile. */
    Queue<byte[]> unpark() {
        parked = false;
        Queue<byte[]> q = new ArrayDeque<>(parkedMessages);
        parkedMessages.clear();
        return q;
    }

    /** The OPEN exchange settled the limits: framing follows them from the next message on. */
    void negotiated(CodecOptions options) {
        splitter.negotiated(options);
    }

    void send(byte[] message) {
        if (!closed) {
            channel.writeAndFlush(Unpooled.wrappedBuffer(message));
            peer.countSent();
        }
    }

    /** Flushes what was written, then closes. */
    void close() {
        if (!closed) {
            closed = true;
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            BgpError err = splitter.feed(bytes, 0, bytes.length, m -> {
                if (parked) {
                    parkedMessages.add(m);
                } else if (!closed) {
                    peer.onMessage(this, m);
                }
            });
            if (err != null && !closed) {
                peer.onFramingError(this, err);
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        peer.onDisconnected(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        peer.noteError("connection error: " + cause.getMessage());
        ctx.close();
    }
}
