package io.meshgw.bench;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.BgpMessage;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One phase of the hostile-peer benchmark, in a JVM of its own (run it once per phase): the
 * speaker holds a table of distinct routes and serves a well-behaved neighbor; in the
 * {@code hostile} phase a second neighbor completes OPEN with a tiny receive window, never reads,
 * and sends ROUTE-REFRESH at 1,000/s for 5 s. Prints the process's resident set, the heap, and
 * the longest silence the good neighbor heard (its hold timer's view) over the phase.
 *
 * <p>Usage: {@code HostilePeerBench baseline|hostile [routes=100000] [seconds=20]}
 */
public final class HostilePeerBench {

    private static final long ASN = 65000;
    private static final long PEER_ASN = 65010;
    private static final int GOOD_HOLD_SECONDS = 9;

    public static void main(String[] args) throws Exception {
        boolean hostile = args[0].equals("hostile");
        int routes = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(
                ASN, SpeakerConfig.routerId("192.0.2.1"), InetAddress.ofLiteral("127.0.0.1"), port))) {
            Map<Prefix, List<PathAttribute>> table = new HashMap<>();
            for (int i = 0; i < routes; i++) {
                table.put(
                        Prefix.parse("10." + (i >> 16 & 0xFF) + "." + (i >> 8 & 0xFF) + "." + (i & 0xFF) + "/32"),
                        List.of(new PathAttribute.Communities(List.of(65000L << 16 | (i & 0xFFFF), (long) i))));
            }
            speaker.originate(table);
            speaker.addPeer(peer("good", "127.0.0.2"));
            speaker.addPeer(peer("bad", "127.0.0.3"));
            long rssBefore = status("VmRSS");

            Neighbor good = new Neighbor("127.0.0.2", port, 0);
            good.readAll();
            good.establish("10.0.0.2", GOOD_HOLD_SECONDS);
            good.keepSendingKeepalives(GOOD_HOLD_SECONDS * 1000L / 3);
            long start = System.nanoTime();
            long refreshes = 0;
            if (hostile) {
                Neighbor bad = new Neighbor("127.0.0.3", port, 4096);
                bad.establish("10.0.0.3", 90);
                long until = System.nanoTime() + 5_000_000_000L;
                try {
                    while (System.nanoTime() < until) {
                        for (int i = 0; i < 10; i++) {
                            bad.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
                            refreshes++;
                        }
                        Thread.sleep(10);
                    }
                } catch (IOException reset) {
                    // reset by the speaker
                }
            }
            Thread.sleep(Math.max(0, seconds * 1000L - (System.nanoTime() - start) / 1_000_000));

            PeerStatus g = speaker.peer("good").orElseThrow();
            PeerStatus b = speaker.peer("bad").orElseThrow();
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    "%-8s routes=%d refreshes-sent=%d | RSS before=%d MiB after=%d MiB peak=%d MiB | heap after GC=%d MiB"
                            + " | good: %s, longest silence %d ms (hold %d s) | bad: %s, flaps %d%n",
                    args[0],
                    routes,
                    refreshes,
                    rssBefore / 1024,
                    status("VmRSS") / 1024,
                    status("VmHWM") / 1024,
                    heap >> 20,
                    g.state(),
                    good.maxSilenceMillis(),
                    GOOD_HOLD_SECONDS,
                    b.state(),
                    b.flaps());
        }
        System.exit(0);
    }

    private static PeerConfig peer(String name, String address) {
        return PeerConfig.builder(name, InetAddress.ofLiteral(address), PEER_ASN)
                .passive(true)
                .exportPolicy(Policy.acceptAll())
                .build();
    }

    /** A field of /proc/self/status, in KiB. */
    private static long status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no " + field + " in /proc/self/status");
    }

    /** A neighbor on a plain socket: sends whole messages, and times the silences between the speaker's. */
    private static final class Neighbor {
        private final Socket socket = new Socket();
        private final OutputStream out;
        private final AtomicLong last = new AtomicLong(System.nanoTime());
        private final AtomicLong maxSilence = new AtomicLong();

        Neighbor(String local, int port, int receiveBuffer) throws IOException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.bind(new InetSocketAddress(InetAddress.ofLiteral(local), 0));
            socket.connect(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), port));
            out = socket.getOutputStream();
        }

        void establish(String routerId, int hold) throws IOException {
            send(new Open(
                    (int) PEER_ASN,
                    hold,
                    SpeakerConfig.routerId(routerId),
                    List.of(
                            new Capability.MultiProtocol(1, 1),
                            new Capability.RouteRefreshCapability(),
                            new Capability.FourOctetAs(PEER_ASN))));
            send(new Keepalive());
        }

        synchronized void send(BgpMessage m) throws IOException {
            out.write(MessageEncoder.encode(m, CodecOptions.MODERN));
            out.flush();
        }

        void readAll() {
            last.set(System.nanoTime());
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    DataInputStream in = new DataInputStream(socket.getInputStream());
                    byte[] header = new byte[19];
                    while (true) {
                        in.readFully(header);
                        in.skipNBytes((((header[16] & 0xFF) << 8) | (header[17] & 0xFF)) - 19);
                        long now = System.nanoTime();
                        maxSilence.accumulateAndGet(now - last.getAndSet(now), Math::max);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        void keepSendingKeepalives(long periodMillis) {
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        send(new Keepalive());
                        Thread.sleep(periodMillis);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            });
        }

        long maxSilenceMillis() {
            return Math.max(maxSilence.get(), System.nanoTime() - last.get()) / 1_000_000;
        }
    }
}
