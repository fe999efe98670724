package io.meshgw.bgp.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The transport on Netty's native epoll: one event-loop thread for the listening socket, every
 * session socket and every timer. Epoll, not NIO, because it exposes the socket descriptors that
 * TCP-MD5 and GTSM are set on ({@link LinuxSocketOptions}).
 */
public final class EpollTransport implements Transport {

    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
    private final EventLoop loop = group.next();
    private EpollServerSocketChannel server;

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void defer(Runnable task) {
        // Netty takes due timers into the task queue once per pass, after I/O: a timer of 0 waits for the next pass.
        loop.schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> f = loop.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public int listen(InetAddress address, int port, Acceptor acceptor) {
        try {
            server = (EpollServerSocketChannel) new ServerBootstrap()
                    .group(group)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<EpollSocketChannel>() {
                        @Override
                        protected void initChannel(EpollSocketChannel ch) {
                            NettyConnection c = new NettyConnection(ch);
                            ch.pipeline().addLast(c);
                            acceptor.accepted(c);
                        }
                    })
                    .bind(new InetSocketAddress(address, port))
                    .sync()
                    .channel();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot listen for BGP on " + (address == null ? "*" : address.getHostAddress()) + ":" + port + ": "
                            + e.getMessage(),
                    e);
        }
        return server.localAddress().getPort();
    }

    @Override
    public void listenerMd5Key(InetAddress peer, Optional<String> password) {
        if (server != null) {
            LinuxSocketOptions.setMd5Key(
                    server.fd().intValue(),
                    peer,
                    password.map(EpollTransport::md5Key).orElse(new byte[0]));
        }
    }

    @Override
    public void dial(DialRequest request, DialOutcome outcome) {
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new ChannelInitializer<EpollSocketChannel>() {
                    @Override
                    protected void initChannel(EpollSocketChannel ch) {}
                });
        b.register().addListener(reg -> {
            if (!reg.isSuccess()) {
                outcome.failed(String.valueOf(reg.cause()));
                return;
            }
            EpollSocketChannel ch = (EpollSocketChannel) ((ChannelFuture) reg).channel();
            try {
                // Both before connect(): the SYN must already be signed and sent with TTL 255.
                int fd = ch.fd().intValue();
                InetAddress peer = request.remote().getAddress();
                request.md5Password().ifPresent(pw -> LinuxSocketOptions.setMd5Key(fd, peer, md5Key(pw)));
                request.gtsmHops().ifPresent(h -> LinuxSocketOptions.setGtsm(fd, peer instanceof Inet6Address, h));
                if (request.gtsmHops().isEmpty()) {
                    request.multihopTtl()
                            .ifPresent(t -> LinuxSocketOptions.setTtl(fd, peer instanceof Inet6Address, t));
                }
            } catch (RuntimeException e) {
                ch.close();
                outcome.failed(e.getMessage());
                return;
            }
            NettyConnection c = new NettyConnection(ch);
            ch.pipeline().addLast(c);
            ChannelFuture connect = request.localAddress().isPresent()
                    ? ch.connect(
                            request.remote(),
                            new InetSocketAddress(request.localAddress().get(), 0))
                    : ch.connect(request.remote());
            connect.addListener(f -> {
                if (f.isSuccess()) {
                    outcome.connected(c);
                } else {
                    ch.close();
                    outcome.failed(f.cause() == null ? "failed" : f.cause().getMessage());
                }
            });
        });
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close().sync();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The quiet period lets the NOTIFICATIONs written just before go out.
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static byte[] md5Key(String password) {
        return password.getBytes(StandardCharsets.US_ASCII);
    }
}
