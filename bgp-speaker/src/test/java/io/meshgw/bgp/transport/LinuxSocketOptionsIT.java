package io.meshgw.bgp.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP-MD5 and GTSM on real kernel sockets over loopback: the kernel, not our code, drops the
 * connection attempts that must fail, so these tests show the options are really in effect.
 */
class LinuxSocketOptionsIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] KEY = "s3cret".getBytes(StandardCharsets.US_ASCII);

    private EventLoopGroup group;
    private EpollServerSocketChannel server;
    private final CountDownLatch accepted = new CountDownLatch(1);

    @BeforeEach
    void setUp() {
        group = new EpollEventLoopGroup(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private int listen(IntConsumer configureListeningFd) throws Exception {
        server = (EpollServerSocketChannel) new ServerBootstrap()
                .group(group)
                .channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
                        accepted.countDown();
                    }
                })
                .register()
                .sync()
                .channel();
        configureListeningFd.accept(server.fd().intValue());
        server.bind(new InetSocketAddress(LOOPBACK, 0)).sync();
        return server.localAddress().getPort();
    }

    /** Connects after {@code configureFd} ran on the unconnected socket; true when the server accepted. */
    private boolean connect(int port, IntConsumer configureFd) throws Exception {
        EpollSocketChannel ch = (EpollSocketChannel) new Bootstrap()
                .group(group)
                .channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1500)
                .handler(new ChannelInboundHandlerAdapter())
                .register()
                .sync()
                .channel();
        configureFd.accept(ch.fd().intValue());
        ChannelFuture f = ch.connect(new InetSocketAddress(LOOPBACK, port)).await();
        boolean ok = f.isSuccess() && accepted.await(2, TimeUnit.SECONDS);
        ch.close().sync();
        return ok;
    }

    @Test
    void matchingMd5KeysConnect() throws Exception {
        int port = listen(fd -> LinuxSocketOptions.setMd5Key(fd, LOOPBACK, KEY));
        assertThat(connect(port, fd -> LinuxSocketOptions.setMd5Key(fd, LOOPBACK, KEY)))
                .isTrue();
    }

    @Test
    void aMissingOrWrongMd5KeyNeverConnects() throws Exception {
        int port = listen(fd -> LinuxSocketOptions.setMd5Key(fd, LOOPBACK, KEY));
        assertThat(connect(port, fd -> {})).as("unsigned SYN").isFalse();
        assertThat(connect(
                        port,
                        fd -> LinuxSocketOptions.setMd5Key(fd, LOOPBACK, "wrong".getBytes(StandardCharsets.US_ASCII))))
                .as("wrong key")
                .isFalse();
    }

    @Test
    void gtsmDropsPacketsThatDidNotStartWithTtl255() throws Exception {
        int port = listen(fd -> {
            LinuxSocketOptions.setGtsm(fd, false, 1);
            assertThat(LinuxSocketOptions.minTtl(fd, false)).isEqualTo(255);
        });
        assertThat(connect(port, fd -> LinuxSocketOptions.setTtl(fd, false, 64)))
                .as("TTL 64 shows the sender may be far away")
                .isFalse();
        assertThat(connect(port, fd -> LinuxSocketOptions.setTtl(fd, false, 255)))
                .isTrue();
    }

    @Test
    void gtsmForANeighborThreeHopsAwayTakesTtl253AndDropsWhatCrossedMore() throws Exception {
        int port = listen(fd -> {
            LinuxSocketOptions.setGtsm(fd, false, 3);
            assertThat(LinuxSocketOptions.minTtl(fd, false))
                    .as("RFC 5082: 256 - hops")
                    .isEqualTo(253);
        });
        assertThat(connect(port, fd -> LinuxSocketOptions.setTtl(fd, false, 253)))
                .as("sent with 255, two routers on the way")
                .isTrue();
        assertThat(connect(port, fd -> LinuxSocketOptions.setTtl(fd, false, 252)))
                .as("one router too many")
                .isFalse();
    }

    @Test
    void invalidArgumentsAndKernelErrorsAreExplained() {
        assertThatThrownBy(() -> LinuxSocketOptions.setMd5Key(3, LOOPBACK, new byte[81]))
                .hasMessageContaining("at most 80");
        assertThatThrownBy(() -> LinuxSocketOptions.setGtsm(3, false, 0)).hasMessageContaining("1..254");
        assertThatThrownBy(() -> LinuxSocketOptions.setTtl(-1, false, 255))
                .hasMessageContaining("setsockopt(IP_TTL=255) on socket -1 failed: Bad file descriptor");
    }
}
