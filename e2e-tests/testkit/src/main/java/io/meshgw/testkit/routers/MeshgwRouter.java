package io.meshgw.testkit.routers;

import io.meshgw.testkit.net.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * meshgw's own speaker as a separate process in a namespace ({@code SpeakerMain}, a route
 * server passing everything on), so benchmarks measure it exactly like the other daemons. The
 * caller names the speaker's classpath in the system property {@value #CLASSPATH_PROPERTY}
 * (the testkit does not depend on the speaker); extra JVM options go in {@value #JVM_PROPERTY}.
 */
public final class MeshgwRouter implements BgpRouter {

    public static final String CLASSPATH_PROPERTY = "meshgw.speaker.classpath";
    public static final String JVM_PROPERTY = "meshgw.speaker.jvm";

    /** When set, the speaker advertises graceful restart with this restart time (seconds). */
    public static final String GRACEFUL_RESTART_PROPERTY = "meshgw.speaker.graceful-restart";

    /**
     * The heap cap the benchmark figures were measured with: a million routes need about
     * 250 MiB live; compact object headers (JDK 25) cut that by roughly a fifth.
     */
    public static final String DEFAULT_JVM = "-Xms64m -Xmx288m -XX:+UseCompactObjectHeaders";

    private final RouterSpec spec;
    private final Path dir;
    private final Process process;

    private MeshgwRouter(RouterSpec spec, Path dir, Process process) {
        this.spec = spec;
        this.dir = dir;
        this.process = process;
    }

    static MeshgwRouter start(NetNs ns, RouterSpec spec, Path workDir) {
        String cp = System.getProperty(CLASSPATH_PROPERTY);
        if (cp == null || cp.isBlank()) {
            throw new IllegalStateException(
                    "set -D" + CLASSPATH_PROPERTY + " to the bgp-speaker classpath to run meshgw's speaker");
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(System.getProperty(JVM_PROPERTY, DEFAULT_JVM).split("\\s+")));
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                cp,
                "io.meshgw.bgp.speaker.SpeakerMain",
                "--asn",
                Long.toString(spec.asn()),
                "--router-id",
                spec.routerId(),
                "--listen",
                "0.0.0.0",
                "--status-file",
                workDir.resolve("status").toString()));
        for (BgpNeighbor n : spec.neighbors()) {
            cmd.addAll(List.of("--peer", n.address() + ":" + n.asn()));
        }
        for (String p : spec.originate()) {
            cmd.addAll(List.of("--originate", p));
        }
        String gr = System.getProperty(GRACEFUL_RESTART_PROPERTY);
        if (gr != null) {
            cmd.addAll(List.of("--graceful-restart", gr));
        }
        Process p = ns.spawn(cmd, workDir.resolve("speaker.log"));
        MeshgwRouter r = new MeshgwRouter(spec, workDir, p);
        if (!BgpRouter.await(Duration.ofSeconds(30), () -> Files.exists(workDir.resolve("status")) || !p.isAlive())
                || !p.isAlive()) {
            r.close();
            throw new IllegalStateException("meshgw's speaker did not start; see " + r.logFile());
        }
        return r;
    }

    private List<String> statusLines() {
        try {
            return Files.readAllLines(dir.resolve("status"));
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public RouterKind kind() {
        return RouterKind.MESHGW;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public boolean established(String address) {
        return statusLines().stream().anyMatch(l -> l.startsWith(address + " ESTABLISHED"));
    }

    @Override
    public Set<String> receivedPrefixes() {
        throw new UnsupportedOperationException(
                "the speaker process reports counts only; use its API in-process for routes");
    }

    @Override
    public String routeDetails(String prefix) {
        throw new UnsupportedOperationException("the speaker process reports counts only");
    }

    @Override
    public long routeCount() {
        return statusLines().stream()
                .mapToLong(l -> Long.parseLong(l.split(" ")[2]))
                .sum();
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Path logFile() {
        return dir.resolve("speaker.log");
    }

    /** SIGKILL: the speaker dies without a NOTIFICATION, as in a crash (graceful restart tests). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
