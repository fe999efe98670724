package io.meshgw.bgp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TcpConnection} on an epoll channel: the last handler of its pipeline. Nothing is read
 * until a listener is attached, so a connection that is refused at once is never read from.
 */
final class NettyConnection extends ChannelInboundHandlerAdapter implements TcpConnection {

    /**
     * Bytes queued in the process (beyond the kernel's socket buffer) above which the connection
     * is not writable, and below which it is again. A full-size UPDATE is 4 KiB (64 KiB with RFC
     * 8654), so the low mark still holds dozens of them: a neighbor that reads keeps being fed.
     */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    /** How long {@link #close} waits for a neighbor to take what was written. */
    private static final long CLOSE_FLUSH_SECONDS = 5;

    private final EpollSocketChannel channel;
    private ConnectionListener listener;

    NettyConnection(EpollSocketChannel channel) {
        this.channel = channel;
        channel.config().setWriteBufferWaterMark(WATER_MARK);
        channel.config().setAutoRead(false);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return channel.localAddress();
    }

    @Override
    public void attach(ConnectionListener listener) {
        this.listener = listener;
        channel.config().setAutoRead(true);
    }

    @Override
    public void requireGtsm(int hops) {
        LinuxSocketOptions.setGtsm(
                channel.fd().intValue(), channel.remoteAddress().getAddress() instanceof Inet6Address, hops);
    }

    @Override
    public void ttl(int ttl) {
        LinuxSocketOptions.setTtl(
                channel.fd().intValue(), channel.remoteAddress().getAddress() instanceof Inet6Address, ttl);
    }

    @Override
    public void write(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        // A neighbor with a zero window never takes the rest: close anyway, dropping it.
        channel.eventLoop().schedule(() -> channel.close(), CLOSE_FLUSH_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void abort() {
        if (channel.isOpen()) {
            channel.config().setSoLinger(0); // RST rather than FIN: no TIME_WAIT kept for it
            channel.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.writabilityChanged(channel.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (listener != null) {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                listener.received(bytes);
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (listener != null) {
            listener.closed();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (listener != null) {
            listener.failed(cause);
        }
        ctx.close();
    }
}
