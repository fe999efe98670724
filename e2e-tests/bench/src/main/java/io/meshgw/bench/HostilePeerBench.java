package io.meshgw.bench;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.speaker.BgpSpeaker;
import io.meshgw.bgp.speaker.LoopbackNeighbor;
import io.meshgw.bgp.speaker.PeerConfig;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.SpeakerConfig;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

            LoopbackNeighbor good = new LoopbackNeighbor("127.0.0.2", port, 0);
            good.readAll();
            good.establish(PEER_ASN, "10.0.0.2", GOOD_HOLD_SECONDS);
            good.keepSendingKeepalives(GOOD_HOLD_SECONDS * 1000L / 3);
            long start = System.nanoTime();
            long refreshes = 0;
            if (hostile) {
                LoopbackNeighbor bad = new LoopbackNeighbor("127.0.0.3", port, 4096);
                bad.establish(PEER_ASN, "10.0.0.3", 90);
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
}
