package io.meshgw.bgp.speaker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A speaker of AS 65000 listening on 127.0.0.1 at a free port, for tests whose neighbors are {@link LoopbackNeighbor}s
 * at other 127.0.0.0/8 addresses: a real TCP transport, no privileges.
 */
record LoopbackSpeaker(BgpSpeaker speaker, int port) implements AutoCloseable {

    static final long ASN = 65000;

    static LoopbackSpeaker start() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        return new LoopbackSpeaker(
                BgpSpeaker.start(new SpeakerConfig(
                        ASN, SpeakerConfig.routerId("192.0.2.1"), InetAddress.ofLiteral("127.0.0.1"), port)),
                port);
    }

    /** Waits until {@code condition} holds; after {@code within}, fails saying what was awaited and what is now. */
    static void await(BooleanSupplier condition, Duration within, String what, Supplier<?> now)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + within + " until " + what + "; now: " + now.get());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        speaker.close();
    }
}
