package io.meshgw.bgp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** A {@link TcpConnection} on an epoll channel: the last handler of its pipeline. */
final class NettyConnection extends ChannelInboundHandlerAdapter implements TcpConnection {

    private final EpollSocketChannel channel;
    private ConnectionListener listener;

    NettyConnection(EpollSocketChannel channel) {
        this.channel = channel;
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
    public void close() {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
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
