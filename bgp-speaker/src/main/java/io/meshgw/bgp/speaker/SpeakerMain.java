package io.meshgw.bgp.speaker;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Prefix;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the speaker on its own, without the gateway: for benchmarks and for trying it against a
 * router. Every route is accepted and passed on to every other neighbor (a route server).
 *
 * <pre>
 * SpeakerMain --asn 65000 --router-id 10.0.0.1 [--listen 0.0.0.0] [--port 179]
 *             --peer ADDRESS:ASN [--peer ...] [--originate PREFIX ...] [--status-file PATH]
 *             [--graceful-restart SECONDS]
 * </pre>
 *
 * With {@code --status-file}, each neighbor's state is written there once a second as lines of
 * {@code address state accepted advertised}.
 */
public final class SpeakerMain {

    private SpeakerMain() {}

    public static void main(String[] args) throws Exception {
        long asn = 0;
        long routerId = 0;
        String listen = "0.0.0.0";
        int port = 179;
        List<String> peers = new ArrayList<>();
        List<String> originate = new ArrayList<>();
        Path status = null;
        int gracefulRestart = 0;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--asn" -> asn = Long.parseLong(req(args[i], v));
                case "--router-id" -> routerId = SpeakerConfig.routerId(req(args[i], v));
                case "--listen" -> listen = req(args[i], v);
                case "--port" -> port = Integer.parseInt(req(args[i], v));
                case "--peer" -> peers.add(req(args[i], v));
                case "--originate" -> originate.add(req(args[i], v));
                case "--status-file" -> status = Path.of(req(args[i], v));
                case "--graceful-restart" -> gracefulRestart = Integer.parseInt(req(args[i], v));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; see the class Javadoc");
            }
            i++;
        }
        BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(asn, routerId, InetAddress.ofLiteral(listen), port));
        // SIGTERM: with graceful restart the routers keep our routes while we are away; without
        // it they are told (Cease) and withdraw them at once.
        boolean restartable = gracefulRestart > 0;
        Runtime.getRuntime().addShutdownHook(new Thread(restartable ? speaker::closeForRestart : speaker::close));
        int n = 0;
        for (String p : peers) {
            int colon = p.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("--peer " + p + ": expected ADDRESS:ASN");
            }
            PeerConfig.Builder pc = PeerConfig.builder(
                            "peer" + n++,
                            InetAddress.ofLiteral(p.substring(0, colon)),
                            Long.parseLong(p.substring(colon + 1)))
                    .exportPolicy(Policy.acceptAll());
            if (gracefulRestart > 0) {
                pc.gracefulRestartSeconds(gracefulRestart);
            }
            speaker.addPeer(pc.build());
        }
        for (String o : originate) {
            speaker.originate(Prefix.parse(o), List.of());
        }
        while (true) {
            if (status != null) {
                writeStatus(speaker, status);
            }
            Thread.sleep(1000);
        }
    }

    private static void writeStatus(BgpSpeaker speaker, Path file) throws IOException {
        String text = speaker.peers().stream()
                .map(s -> s.address() + " " + s.state() + " " + s.prefixesAccepted() + " " + s.prefixesAdvertised())
                .collect(Collectors.joining("\n", "", "\n"));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String req(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
