package io.meshgw.e2e;

import io.meshgw.testkit.net.NetNs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packaged gateway application, run as a process inside a gateway node's network namespace,
 * configured through system properties, its admin API reachable from the host over the node's
 * host link.
 */
public final class GatewayProcess implements AutoCloseable {

    /** Where the built gateway is; the scenarios' build sets it, the lab script too. */
    public static final String APP_PROPERTY = "meshgw.gateway.app";

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final NetNs ns;
    private final String name;
    private final Map<String, String> properties;
    private final Path log;
    private final String adminUrl;
    private final String managementUrl;
    private final String token;
    private Process process;

    public GatewayProcess(
            NetNs ns, String name, Map<String, String> properties, Path log, String adminHost, String token) {
        this.ns = ns;
        this.name = name;
        this.properties = new TreeMap<>(properties);
        this.properties.put("quarkus.http.host", adminHost);
        this.properties.put("quarkus.http.port", "9180");
        this.properties.put("meshgw.admin.token", token);
        // Health and metrics on their own listener, as the chart has them, on the same host link.
        this.properties.put("quarkus.management.host", adminHost);
        this.properties.put("quarkus.management.port", "9181");
        this.log = log;
        this.adminUrl = "http://" + adminHost + ":9180";
        this.managementUrl = "http://" + adminHost + ":9181";
        this.token = token;
    }

    static Path app() {
        Path app = Path.of(System.getProperty(APP_PROPERTY, "gateway/target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(
                    "the gateway is not built at " + app + ": run ./mvnw -pl gateway -am package -DskipTests first");
        }
        return app;
    }

    public GatewayProcess start() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(
                "--enable-native-access=ALL-UNNAMED",
                "-Xms64m",
                "-Xmx320m",
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", app().toString()));
        process = ns.spawn(cmd, log);
        return this;
    }

    /** Waits for the admin API to answer (liveness), bounded. */
    public GatewayProcess awaitUp(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "gateway " + name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health/live").statusCode() == 200) {
                    return this;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            sleep(200);
        }
        throw new IllegalStateException("gateway " + name + " did not come up within " + timeout + "; see " + log);
    }

    /** A GET of the admin API ({@code /api/*}, {@code /q/openapi}) or of health and metrics ({@code /q/health}, {@code /q/metrics}). */
    public HttpResponse<String> get(String path) {
        boolean management = path.startsWith("/q/health") || path.startsWith("/q/metrics");
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create((management ? managementUrl : adminUrl) + path))
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + token)
                    .GET()
                    .build();
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String adminUrl() {
        return adminUrl;
    }

    public String token() {
        return token;
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the process dies with no chance to clean up, as in a crash. */
    public void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGSTOP to the process and its children: it stops answering without closing anything, as a hung node. */
    public void freeze() {
        signal("STOP");
    }

    /** SIGCONT after {@link #freeze()}. */
    public void thaw() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null) return;
        List<String> cmd = new java.util.ArrayList<>(List.of("kill", "-" + name, String.valueOf(process.pid())));
        process.descendants().forEach(d -> cmd.add(String.valueOf(d.pid())));
        io.meshgw.testkit.net.Command.run(cmd).check();
    }

    /** SIGTERM: an orderly shutdown (graceful restart toward the routers, pinned datapath kept). */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
