package io.meshgw.e2e;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long-lived TCP flow that sends a numbered line every 50 ms and reads its echo back, on a thread of its own; the
 * socket is made in a namespace ({@code from}), the rest runs anywhere. It records how many lines came back, the
 * longest wait for one (a stall, e.g. while the routers move the flow), and why it broke, if it did: a flow that
 * stalls for less than its patience is kept, a reset or a wrong echo is a failure.
 */
public final class EchoStream implements AutoCloseable {
    private static final long INTERVAL_MS = 50;

    private final Socket socket;
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<String> greeting = new AtomicReference<>();
    private final boolean greeted;
    private final Thread pump;
    private volatile boolean closing;

    private EchoStream(Socket socket, boolean greeted) {
        this.socket = socket;
        this.greeted = greeted;
        this.pump = Thread.ofPlatform().daemon().name("echo-stream").start(this::pump);
    }

    /** A flow to a plain echo server, which breaks when an echo takes 3 s. */
    public static EchoStream open(NetNs from, String address, int port) {
        return open(from, address, port, false, Duration.ofSeconds(3));
    }

    /**
     * A flow to {@code address:port}; with {@code greeted} the server's first line is a greeting (kept, see {@link
     * #greeting()}) before it echoes. An echo that takes longer than {@code patience} breaks the flow.
     */
    public static EchoStream open(NetNs from, String address, int port, boolean greeted, Duration patience) {
        return new EchoStream(
                ThreadNetns.call(from, () -> {
                    try {
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(address, port), 3000);
                        s.setSoTimeout((int) patience.toMillis());
                        return s;
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot connect to " + address + ":" + port, e);
                    }
                }),
                greeted);
    }

    private void pump() {
        try (var out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.US_ASCII);
                var in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
            if (greeted) {
                greeting.set(in.readLine());
            }
            for (long n = 0; !closing; n++) {
                long sent = System.nanoTime();
                out.println("line " + n);
                String echo = in.readLine();
                if (!("line " + n).equals(echo)) {
                    throw new IllegalStateException("sent 'line " + n + "', the echo was '" + echo + "'");
                }
                longestWaitNanos.accumulateAndGet(System.nanoTime() - sent, Math::max);
                roundTrips.incrementAndGet();
                Thread.sleep(INTERVAL_MS);
            }
        } catch (Exception e) {
            if (!closing) {
                failure.set(e);
            }
        }
    }

    public long roundTrips() {
        return roundTrips.get();
    }

    /** The longest an echo took so far, in milliseconds. */
    public long longestWaitMillis() {
        return longestWaitNanos.get() / 1_000_000;
    }

    /** The server's greeting (which backend answered, and whom it saw), or null before it came or without one. */
    public String greeting() {
        return greeting.get();
    }

    /** The flow's local port, which tells it from the others at the router's hash. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Why the flow broke, or null while it works. */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
            pump.join(5000);
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
