package io.meshgw.testkit.bgp;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BGP-4 peer scripted by a test. It listens on port 179 inside a network namespace, accepts
 * the session a speaker opens to it, and speaks just enough of RFC 4271 to reach Established: an
 * OPEN with the 4-octet AS (RFC 6793) and IPv4 unicast (RFC 4760) capabilities, then KEEPALIVEs.
 * After that it sends whatever bytes the test hands to {@link #send}, unchecked, so a test can
 * send messages no real router would. What the speaker sends back is recorded: UPDATEs are
 * counted, a NOTIFICATION is kept for {@link #awaitNotification}. When a session ends it accepts
 * the next one, so a test can watch the speaker come back after a reset.
 */
public final class ScriptedBgpPeer implements AutoCloseable {

    public static final int PORT = 179;

    private static final int HEADER_LENGTH = 19;
    private static final int MAX_LENGTH = 4096; // RFC 4271 §4.1 (no RFC 8654 extended messages)
    private static final int OPEN = 1;
    private static final int UPDATE = 2;
    private static final int NOTIFICATION = 3;
    private static final int KEEPALIVE = 4;
    private static final int AS_TRANS = 23456; // RFC 6793 §9

    /**
     * Who the scripted peer is.
     *
     * @param address the IPv4 address it listens on (must be configured in its namespace)
     * @param asn its AS number, 4-octet values allowed
     * @param routerId its BGP identifier, an IPv4 address
     * @param holdTime the hold time it offers in seconds: 0, or 3 to 65535 (RFC 4271 §4.2)
     */
    public record Options(String address, long asn, String routerId, int holdTime) {
        public Options {
            requireIpv4("address", address);
            requireIpv4("routerId", routerId);
            if (asn < 1 || asn > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("asn must be 1 to 4294967295, was " + asn);
            }
            if (holdTime != 0 && (holdTime < 3 || holdTime > 0xFFFF)) {
                throw new IllegalArgumentException("holdTime must be 0 or 3 to 65535 seconds, was " + holdTime);
            }
        }

        private static void requireIpv4(String what, String value) {
            if (value == null || !value.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                throw new IllegalArgumentException(what + " must be an IPv4 address, was " + value);
            }
            InetAddress.ofLiteral(value); // rejects octets above 255
        }
    }

    /** A NOTIFICATION the speaker sent (RFC 4271 §4.5). */
    public record Notification(int code, int subcode, byte[] data) {
        public Notification {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public String toString() {
            return "NOTIFICATION " + code + "/" + subcode
                    + (data.length == 0 ? "" : " data=" + HexFormat.of().formatHex(data));
        }
    }

    private final Options options;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Object writeLock = new Object();
    private final BlockingQueue<Notification> notifications = new LinkedBlockingQueue<>();
    private final AtomicInteger sessionsEstablished = new AtomicInteger();
    private final AtomicInteger updatesReceived = new AtomicInteger();
    private volatile Socket session;
    private volatile boolean established;
    private volatile boolean closing;
    private volatile String lastProblem;

    private ScriptedBgpPeer(Options options, ServerSocket listener) {
        this.options = options;
        this.listener = listener;
        this.acceptor = Thread.ofPlatform()
                .daemon()
                .name("scripted-bgp-peer-" + options.address())
                .start(this::acceptLoop);
    }

    /** Starts listening on {@code options.address()}:179 inside {@code ns}. */
    public static ScriptedBgpPeer listen(NetNs ns, Options options) {
        ServerSocket listener = ThreadNetns.call(ns, () -> {
            try {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.ofLiteral(options.address()), PORT));
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot listen on " + options.address() + ":" + PORT + " in " + ns.name(), e);
            }
        });
        return new ScriptedBgpPeer(options, listener);
    }

    public Options options() {
        return options;
    }

    /** True while a session is Established (OPENs exchanged and the speaker's KEEPALIVE seen). */
    public boolean established() {
        return established;
    }

    /** How many sessions have reached Established since the peer started listening. */
    public int sessionsEstablished() {
        return sessionsEstablished.get();
    }

    public int updatesReceived() {
        return updatesReceived.get();
    }

    /** What went wrong on the wire last (the speaker broke the protocol, or the socket failed). */
    public Optional<String> lastProblem() {
        return Optional.ofNullable(lastProblem);
    }

    /** Waits until {@code count} sessions have reached Established (counting from the start). */
    public boolean awaitSessions(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (established && sessionsEstablished.get() >= count) {
                return true;
            }
            pause(50);
        }
        return established && sessionsEstablished.get() >= count;
    }

    /** The next NOTIFICATION the speaker sends, if one arrives within {@code timeout}. */
    public Optional<Notification> awaitNotification(Duration timeout) {
        try {
            return Optional.ofNullable(notifications.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Sends {@code message} exactly as given (header included) on the Established session. The
     * bytes are not checked: that is the point.
     */
    public void send(byte[] message) {
        Socket s = session;
        if (!established || s == null) {
            throw new IllegalStateException("no Established session with the speaker to send on");
        }
        try {
            write(s, message);
        } catch (IOException e) {
            throw new UncheckedIOException("sending to the speaker failed", e);
        }
    }

    private void acceptLoop() {
        while (!closing) {
            try (Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                session = s;
                converse(s);
            } catch (IOException e) {
                if (!closing) {
                    lastProblem = "session ended: " + e;
                }
            } finally {
                established = false;
                session = null;
            }
        }
    }

    /** One session: OPEN, KEEPALIVEs on a timer, record what arrives until it ends. */
    private void converse(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(s.getInputStream());
        write(s, open(options));
        Thread keepalives = null;
        boolean openReceived = false;
        try {
            while (true) {
                byte[] header = new byte[HEADER_LENGTH];
                try {
                    in.readFully(header);
                } catch (EOFException e) {
                    return; // the speaker closed the connection
                }
                for (int i = 0; i < 16; i++) {
                    if (header[i] != (byte) 0xFF) {
                        lastProblem = "the speaker sent a header without the all-ones marker";
                        return;
                    }
                }
                int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
                int type = header[18] & 0xFF;
                if (length < HEADER_LENGTH || length > MAX_LENGTH) {
                    lastProblem = "the speaker sent a message of length " + length;
                    return;
                }
                byte[] body = new byte[length - HEADER_LENGTH];
                in.readFully(body);
                switch (type) {
                    case OPEN -> {
                        openReceived = true;
                        write(s, keepalive());
                        int hold = Math.min(options.holdTime(), ((body[3] & 0xFF) << 8) | (body[4] & 0xFF));
                        if (hold > 0) {
                            // RFC 4271 §4.4: a third of the hold time, at most one a second
                            long every = Math.max(1000, hold * 1000L / 3);
                            keepalives = Thread.ofPlatform()
                                    .daemon()
                                    .name("scripted-bgp-keepalive-" + options.address())
                                    .start(() -> keepSending(s, every));
                        }
                    }
                    case KEEPALIVE -> {
                        if (openReceived && !established) {
                            established = true;
                            sessionsEstablished.incrementAndGet();
                        }
                    }
                    case UPDATE -> updatesReceived.incrementAndGet();
                    case NOTIFICATION -> {
                        if (body.length < 2) {
                            lastProblem = "the speaker sent a NOTIFICATION of " + body.length + " octets";
                            return;
                        }
                        notifications.add(new Notification(
                                body[0] & 0xFF, body[1] & 0xFF, Arrays.copyOfRange(body, 2, body.length)));
                        return; // RFC 4271 §6: the connection is closed after a NOTIFICATION
                    }
                    default -> {
                        // ROUTE-REFRESH and anything newer: nothing to answer
                    }
                }
            }
        } finally {
            established = false;
            if (keepalives != null) {
                keepalives.interrupt();
            }
        }
    }

    private void keepSending(Socket s, long everyMillis) {
        while (!s.isClosed()) {
            try {
                Thread.sleep(everyMillis);
                write(s, keepalive());
            } catch (InterruptedException | IOException e) {
                return;
            }
        }
    }

    private void write(Socket s, byte[] bytes) throws IOException {
        synchronized (writeLock) {
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
        }
    }

    /** OPEN (RFC 4271 §4.2) with one Capabilities parameter (RFC 5492). */
    static byte[] open(Options o) {
        byte[] capabilities = ByteBuffer.allocate(12)
                // Multiprotocol Extensions (RFC 4760 §8): AFI 1 (IPv4), reserved, SAFI 1 (unicast)
                .put((byte) 1)
                .put((byte) 4)
                .putShort((short) 1)
                .put((byte) 0)
                .put((byte) 1)
                // 4-octet AS number (RFC 6793 §3)
                .put((byte) 65)
                .put((byte) 4)
                .putInt((int) o.asn())
                .array();
        ByteBuffer body = ByteBuffer.allocate(10 + 2 + capabilities.length)
                .put((byte) 4) // version
                .putShort((short) (o.asn() > 0xFFFF ? AS_TRANS : o.asn()))
                .putShort((short) o.holdTime())
                .put(InetAddress.ofLiteral(o.routerId()).getAddress())
                .put((byte) (2 + capabilities.length)) // optional parameters length
                .put((byte) 2) // parameter type: Capabilities
                .put((byte) capabilities.length)
                .put(capabilities);
        return message(OPEN, body.array());
    }

    static byte[] keepalive() {
        return message(KEEPALIVE, new byte[0]);
    }

    /** A well-formed message: marker, length, type (RFC 4271 §4.1), then {@code body}. */
    static byte[] message(int type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + body.length);
        for (int i = 0; i < 16; i++) {
            b.put((byte) 0xFF);
        }
        return b.putShort((short) (HEADER_LENGTH + body.length))
                .put((byte) type)
                .put(body)
                .array();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening and closes the session without a NOTIFICATION, as a crashed peer would. */
    @Override
    public void close() {
        closing = true;
        try {
            listener.close();
            Socket s = session;
            if (s != null) {
                s.close();
            }
            acceptor.join(5000);
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
