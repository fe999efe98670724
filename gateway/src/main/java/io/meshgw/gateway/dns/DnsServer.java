package io.meshgw.gateway.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Serves DNS over UDP and TCP on the given addresses, answering from whichever {@link NameTable} is current. Each
 * UDP socket has one thread; TCP connections get a virtual thread each, at most {@value #MAX_TCP_CONNECTIONS} at a
 * time ({@link TcpSlots}), closed after {@value #TCP_IDLE_MILLIS} ms idle. Each client (an IPv4 address, an IPv6
 * /64) gets so many answers a second ({@link AnswerRateLimit}); queries over that are not answered.
 */
public final class DnsServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DnsServer.class);
    /** Larger queries are not legitimate for this server: one question and an OPT. */
    private static final int MAX_UDP_QUERY = 4096;

    static final int MAX_TCP_CONNECTIONS = 64;
    static final int TCP_IDLE_MILLIS = 10_000;

    /**
     * Limits on TCP clients.
     *
     * @param connectionLifetime a connection's whole life, however busy: a client that never reads cannot keep its
     *     slot
     * @param perClient connections one client address may hold at a time, so a few clients cannot take every slot
     * @param perIpv6Network connections one IPv6 /64 may hold at a time: a host with a /64 has as many addresses
     *     as it likes
     */
    public record TcpLimits(Duration connectionLifetime, int perClient, int perIpv6Network) {
        public static final TcpLimits DEFAULT = new TcpLimits(Duration.ofSeconds(30), 8, 16);
    }

    /**
     * Answers per client (an IPv4 address, an IPv6 /64).
     *
     * @param perSecond answers per second per client, on average; 0 turns the limit off
     * @param burst answers a client may have at once
     * @param clients clients whose buckets are kept at most (the least recently seen goes first)
     */
    public record AnswerLimits(int perSecond, int burst, int clients) {
        public static final AnswerLimits DEFAULT = new AnswerLimits(100, 200, 65_536);

        public AnswerLimits {
            if (perSecond < 0 || burst < 1 || clients < 1) {
                throw new IllegalArgumentException("DNS rate limit: per-second >= 0, burst >= 1 and clients >= 1, got "
                        + perSecond + ", " + burst + ", " + clients);
            }
        }
    }

    /** Told about every message: its answer (null when none was sent) and the transport. */
    public interface Listener {
        void answered(DnsAnswerer.Answer answer, DnsAnswerer.Transport transport);

        /** A query was not answered: its client had had its answers for now. */
        default void limited(DnsAnswerer.Transport transport) {}
    }

    private final DnsAnswerer answerer;
    private final Supplier<NameTable> table;
    private final Listener listener;
    private final List<AutoCloseable> sockets = new ArrayList<>();
    private final List<InetSocketAddress> bound = new ArrayList<>();
    private final TcpSlots tcpSlots;
    private final AnswerRateLimit rate;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("dns-tcp-deadlines").factory());
    private volatile boolean running = true;

    private final TcpLimits limits;

    private DnsServer(
            DnsAnswerer answerer,
            Supplier<NameTable> table,
            Listener listener,
            TcpLimits limits,
            AnswerLimits answerLimits) {
        this.limits = limits;
        this.tcpSlots = new TcpSlots(MAX_TCP_CONNECTIONS, limits.perClient(), limits.perIpv6Network());
        this.rate = new AnswerRateLimit(answerLimits, System::nanoTime);
        this.answerer = answerer;
        this.table = table;
        this.listener = listener;
    }

    /**
     * Binds every address (port 0 picks a free port, the same for UDP and TCP) and starts serving.
     *
     * @throws IOException naming the address that could not be bound; nothing stays bound then
     */
    public static DnsServer start(
            List<InetSocketAddress> addresses, DnsAnswerer answerer, Supplier<NameTable> table, Listener listener)
            throws IOException {
        return start(addresses, answerer, table, listener, TcpLimits.DEFAULT, AnswerLimits.DEFAULT);
    }

    /** As {@link #start(List, DnsAnswerer, Supplier, Listener)}, with other limits. */
    public static DnsServer start(
            List<InetSocketAddress> addresses,
            DnsAnswerer answerer,
            Supplier<NameTable> table,
            Listener listener,
            TcpLimits limits,
            AnswerLimits answerLimits)
            throws IOException {
        var server = new DnsServer(answerer, table, listener, limits, answerLimits);
        try {
            for (InetSocketAddress address : addresses) server.bind(address);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The addresses bound, with the ports actually in use. */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(bound);
    }

    private void bind(InetSocketAddress address) throws IOException {
        DatagramSocket udp;
        ServerSocket tcp;
        try {
            udp = new DatagramSocket(address);
        } catch (IOException e) {
            throw new IOException("DNS listen address " + address + ": cannot bind UDP: " + e.getMessage(), e);
        }
        sockets.add(udp);
        try {
            tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            // port 0: take the port the UDP socket got, so one address serves both
            tcp.bind(new InetSocketAddress(address.getAddress(), udp.getLocalPort()), 64);
        } catch (IOException e) {
            throw new IOException("DNS listen address " + address + ": cannot bind TCP: " + e.getMessage(), e);
        }
        sockets.add(tcp);
        bound.add(new InetSocketAddress(address.getAddress(), udp.getLocalPort()));
        Thread.ofPlatform().daemon().name("dns-udp-" + address).start(() -> serveUdp(udp));
        Thread.ofPlatform().daemon().name("dns-tcp-" + address).start(() -> acceptTcp(tcp));
    }

    private void serveUdp(DatagramSocket socket) {
        byte[] buf = new byte[MAX_UDP_QUERY];
        var packet = new DatagramPacket(buf, buf.length);
        while (running) {
            try {
                packet.setLength(buf.length);
                socket.receive(packet);
                if (!rate.admit(packet.getAddress())) {
                    listener.limited(DnsAnswerer.Transport.UDP);
                    continue;
                }
                var answer = answer(buf, packet.getLength(), DnsAnswerer.Transport.UDP);
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (running) LOG.warnf("DNS over UDP: %s", e.getMessage());
            } catch (RuntimeException e) {
                // a bug answering one query must not stop the server
                LOG.errorf(e, "DNS over UDP: answering a query from %s failed", packet.getSocketAddress());
            }
        }
    }

    private void acceptTcp(ServerSocket server) {
        while (running) {
            try {
                Socket s = server.accept();
                InetAddress client = s.getInetAddress();
                if (!tcpSlots.take(client)) {
                    // RFC 7766 §6.2.2: a server may close connections to protect itself
                    s.close();
                    continue;
                }
                // closing the socket also ends a write the client never reads
                var deadline = deadlines.schedule(
                        () -> closeQuietly(s), limits.connectionLifetime().toMillis(), TimeUnit.MILLISECONDS);
                Thread.ofVirtual().name("dns-tcp-conn").start(() -> {
                    try (s) {
                        serveTcp(s);
                    } catch (IOException e) {
                        LOG.debugf("DNS over TCP from %s: %s", s.getRemoteSocketAddress(), e.getMessage());
                    } finally {
                        deadline.cancel(false);
                        tcpSlots.release(client);
                    }
                });
            } catch (IOException e) {
                if (running) LOG.warnf("DNS over TCP: %s", e.getMessage());
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debugf("closing a DNS connection: %s", e.getMessage());
        }
    }

    /** RFC 1035 §4.2.2 / RFC 7766: each message prefixed by its two-byte length; several per connection. */
    private void serveTcp(Socket socket) throws IOException {
        socket.setSoTimeout(TCP_IDLE_MILLIS);
        var in = new DataInputStream(socket.getInputStream());
        var out = new DataOutputStream(socket.getOutputStream());
        while (running) {
            int length;
            byte[] msg;
            try {
                length = in.readUnsignedShort();
                msg = in.readNBytes(length);
            } catch (EOFException | SocketTimeoutException e) {
                return;
            }
            if (msg.length < length) return;
            if (!rate.admit(socket.getInetAddress())) {
                // not answered, as over UDP; the connection's lifetime bounds how long it may keep trying
                listener.limited(DnsAnswerer.Transport.TCP);
                continue;
            }
            var answer = answer(msg, length, DnsAnswerer.Transport.TCP);
            if (answer == null) return;
            out.writeShort(answer.length);
            out.write(answer);
            out.flush();
        }
    }

    private byte[] answer(byte[] msg, int length, DnsAnswerer.Transport transport) {
        var answer = answerer.answer(msg, length, table.get(), transport);
        listener.answered(answer, transport);
        return answer == null ? null : answer.bytes();
    }

    @Override
    public void close() {
        running = false;
        deadlines.shutdownNow();
        for (AutoCloseable s : sockets) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debugf("closing a DNS socket: %s", e.getMessage());
            }
        }
    }
}
