package io.meshgw.bgp.speaker;

import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.BgpMessage;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.Open;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A neighbor on a real TCP socket over loopback, for what the in-memory transport cannot show:
 * kernel buffers that fill, a peer that never reads, many connections. It sends whole messages
 * and, when asked to read, notes the longest silence between two messages from the speaker: what
 * a router's hold timer sees (RFC 4271 §4.4: any message restarts it). The hostile-peer benchmark uses it too.
 */
public final class LoopbackNeighbor implements AutoCloseable {

    private static final int NOTIFICATION = 3;

    private final Socket socket;
    private final OutputStream out;
    private final AtomicLong lastMessageNanos = new AtomicLong();
    private final AtomicLong maxSilenceNanos = new AtomicLong();
    private volatile boolean readerEnded;
    private volatile byte[] notification;

    /**
     * Connects from {@code local} to the speaker at 127.0.0.1:{@code port}; a positive {@code receiveBuffer} is set
     * before the connect, so the window it advertises stays that small.
     */
    public LoopbackNeighbor(String local, int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.bind(new InetSocketAddress(InetAddress.ofLiteral(local), 0));
        socket.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port), 5000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
    }

    /** OPEN with 4-octet AS, IPv4 unicast and route refresh, then KEEPALIVE: Established on the speaker's side. */
    public void establish(long asn, String routerId, int holdSeconds) throws IOException {
        establish(asn, routerId, holdSeconds, Set.of(Afi.IPV4));
    }

    /** As {@link #establish(long, String, int)}, announcing the unicast SAFI of each of {@code families}. */
    public void establish(long asn, String routerId, int holdSeconds, Set<Afi> families) throws IOException {
        List<Capability> caps = new ArrayList<>();
        families.stream().sorted().forEach(f -> caps.add(new Capability.MultiProtocol(f.code, 1)));
        caps.add(new Capability.RouteRefreshCapability());
        caps.add(new Capability.FourOctetAs(asn));
        send(new Open((int) asn, holdSeconds, SpeakerConfig.routerId(routerId), caps));
        send(new Keepalive());
    }

    /** Synchronized: the keepalive thread and the caller may both send. */
    public synchronized void send(BgpMessage m) throws IOException {
        out.write(MessageEncoder.encode(m, CodecOptions.MODERN));
        out.flush();
    }

    /** Reads everything the speaker sends, on a thread of its own, timing the silences from now on. */
    public void readAll() {
        lastMessageNanos.set(System.nanoTime());
        Thread.ofPlatform().daemon().name("loopback-neighbor-reader").start(() -> {
            try {
                DataInputStream in = new DataInputStream(socket.getInputStream());
                byte[] header = new byte[19];
                while (true) {
                    in.readFully(header);
                    int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
                    if (header[18] == NOTIFICATION) {
                        notification = in.readNBytes(length - 19);
                    } else {
                        in.skipNBytes(length - 19);
                    }
                    long now = System.nanoTime();
                    long gap = now - lastMessageNanos.getAndSet(now);
                    maxSilenceNanos.accumulateAndGet(gap, Math::max);
                }
            } catch (IOException e) {
                readerEnded = true;
            }
        });
    }

    /** Sends a KEEPALIVE every {@code periodMillis} on a thread of its own, until the connection ends. */
    public void keepSendingKeepalives(long periodMillis) {
        Thread.ofPlatform().daemon().name("loopback-neighbor-keepalives").start(() -> {
            try {
                while (true) {
                    send(new Keepalive());
                    Thread.sleep(periodMillis);
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended
            }
        });
    }

    /** The longest time between two messages from the speaker (or since reading began, or until now). */
    public long maxSilenceMillis() {
        long sinceLast = System.nanoTime() - lastMessageNanos.get();
        return Math.max(maxSilenceNanos.get(), sinceLast) / 1_000_000;
    }

    /** The body of the last NOTIFICATION read (code, subcode, data), if one arrived. */
    public Optional<byte[]> notification() {
        return Optional.ofNullable(notification);
    }

    /** Whether the speaker closed or reset the connection while this side read it. */
    public boolean readerEnded() {
        return readerEnded;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
