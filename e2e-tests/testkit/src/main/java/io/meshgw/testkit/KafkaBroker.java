package io.meshgw.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * A real Kafka broker (KRaft, combined broker and controller) running as a child process started
 * from the Kafka jars on the Maven repository. No Docker. Alone it is a single-node cluster; a
 * {@link KafkaCluster} runs three of them as one quorum.
 *
 * <p>The broker listens on free loopback ports chosen at start; {@link #restart()} keeps the same
 * ports and data so clients can reconnect, which is what broker-restart tests need. {@link
 * #close()} stops the process (SIGTERM, then SIGKILL after a grace period), waits until the port
 * is closed and deletes the data directory.
 */
public final class KafkaBroker implements LabBroker {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final KafkaBrokerOptions options;
    private final KraftNode node;
    private final Path workDir;
    private final Listeners listeners;
    private final String classpath;
    private final Thread shutdownHook;
    private Process process;

    /** The ports a node listens on, chosen before any node of a quorum is configured. */
    record Listeners(int port, int controllerPort, int saslPort) {

        /** Three free loopback ports. */
        static Listeners free() {
            try {
                return new Listeners(freePort(), freePort(), freePort());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find free ports for a Kafka broker", e);
            }
        }
    }

    private KafkaBroker(
            KafkaBrokerOptions options, KraftNode node, Path workDir, Listeners listeners, String classpath) {
        this.options = options;
        this.node = node;
        this.workDir = workDir;
        this.listeners = listeners;
        this.classpath = classpath;
        // A test JVM that dies early must not leave a broker behind.
        this.shutdownHook = new Thread(
                () -> {
                    stop();
                    deleteRecursively(workDir);
                },
                "kafka-broker-shutdown");
    }

    /** Starts a broker with the default options and waits until it accepts clients. */
    public static KafkaBroker start() {
        return start(KafkaBrokerOptions.defaults());
    }

    /** Starts a broker and waits until it accepts clients; throws with the broker's log tail if not. */
    public static KafkaBroker start(KafkaBrokerOptions options) {
        Listeners listeners = Listeners.free();
        KafkaBroker broker = prepare(
                options,
                KraftNode.single(options.host(), listeners.controllerPort()),
                listeners,
                Uuid.randomUuid().toString());
        try {
            broker.launch();
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    /**
     * Writes the configuration of {@code node} and formats its storage for the KRaft cluster {@code clusterId}, without
     * starting it: the nodes of a quorum are all prepared, then all {@linkplain #spawn spawned}, then awaited.
     */
    static KafkaBroker prepare(KafkaBrokerOptions options, KraftNode node, Listeners listeners, String clusterId) {
        try {
            Path dir = Files.createTempDirectory("meshgw-kafka-");
            KafkaBroker broker = new KafkaBroker(options, node, dir, listeners, brokerClasspath());
            Runtime.getRuntime().addShutdownHook(broker.shutdownHook);
            try {
                broker.writeConfig();
                broker.formatStorage(clusterId);
            } catch (RuntimeException e) {
                broker.close();
                throw e;
            }
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka broker's work directory", e);
        }
    }

    /** The {@code bootstrap.servers} value for clients. */
    @Override
    public String bootstrapServers() {
        return options.host() + ":" + listeners.port();
    }

    public int port() {
        return listeners.port();
    }

    /** This broker's {@code node.id} in its quorum: 1 for a single broker, 1 to 3 in a {@link KafkaCluster}. */
    public int nodeId() {
        return node.nodeId();
    }

    /** The {@code bootstrap.servers} of the SASL_PLAINTEXT (SCRAM-SHA-512) listener; see {@link #clientLogin}. */
    public String saslBootstrapServers() {
        requireScram();
        return options.host() + ":" + listeners.saslPort();
    }

    /** Client properties that log in as {@code user} on {@link #saslBootstrapServers()}. */
    public static Map<String, String> clientLogin(String user, String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                                + "\" password=\"" + password + "\";");
    }

    /** Creates (or changes) a SCRAM-SHA-512 user, as {@code kafka-configs --alter --add-config SCRAM-SHA-512=...}. */
    public void addScramUser(String user, String password) {
        requireScram();
        onAdmin(admin -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password)))
                .all());
    }

    /** Adds ACLs, as {@code kafka-acls --add}. */
    public void createAcls(Collection<AclBinding> acls) {
        requireScram();
        onAdmin(admin -> admin.createAcls(acls).all());
    }

    /** Removes the ACLs that match, as {@code kafka-acls --remove}. */
    public void deleteAcls(Collection<AclBindingFilter> filters) {
        requireScram();
        onAdmin(admin -> admin.deleteAcls(filters).all());
    }

    private void requireScram() {
        if (!options.scram()) {
            throw new IllegalStateException("this broker has no SCRAM listener: start it with options.withScram()");
        }
    }

    /** Runs one admin call on the set-up listener and waits for it; ACLs and users take effect right after. */
    private void onAdmin(java.util.function.Function<Admin, KafkaFuture<?>> call) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            call.apply(admin).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker refused an admin call: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an admin call", e);
        }
    }

    /** The broker process id while it runs, for tests that check it is gone. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("the broker is not running");
        }
        return process.pid();
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public Path logFile() {
        return workDir.resolve("broker.log");
    }

    /** Stops the process but keeps its data, so {@link #restart()} comes back with the same log. */
    public void stop() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroy(); // SIGTERM: Kafka does a controlled shutdown and flushes its logs
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        awaitPortClosed(options.host(), listeners.port(), Duration.ofSeconds(10));
    }

    /**
     * Kills the process with SIGKILL, as a crashed machine would: no controlled shutdown, nothing flushed, leadership
     * moves only once the controllers notice the node is gone. The data stays, so {@link #restart()} brings it back.
     */
    public void kill() {
        if (process == null) {
            return;
        }
        Process p = process;
        process = null;
        p.destroyForcibly();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "Kafka node " + node.nodeId() + " (pid " + p.pid() + ") is still running 10 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing Kafka node " + node.nodeId(), e);
        }
        awaitPortClosed(options.host(), listeners.port(), Duration.ofSeconds(10));
    }

    /** Starts the broker again on the same ports with the same data (after {@link #stop} or {@link #kill} too). */
    @Override
    public void restart() {
        stop();
        launch();
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or has run; nothing to remove
        }
        deleteRecursively(workDir);
    }

    private void writeConfig() throws IOException {
        Properties p = new Properties();
        p.putAll(KafkaBrokerOptions.baseConfig(
                options.host(), listeners.port(), listeners.controllerPort(), workDir.resolve("data"), node));
        if (options.scram()) {
            p.putAll(KafkaBrokerOptions.scramConfig(
                    options.host(), listeners.port(), listeners.saslPort(), listeners.controllerPort()));
        }
        p.putAll(options.extraConfig());
        try (var out = Files.newOutputStream(workDir.resolve("server.properties"))) {
            p.store(out, "meshgw test broker");
        }
    }

    private void formatStorage(String clusterId) {
        List<String> cmd = javaCommand("kafka.tools.StorageTool");
        cmd.addAll(List.of(
                "format",
                "--ignore-formatted",
                "-t",
                clusterId,
                "-c",
                workDir.resolve("server.properties").toString()));
        try {
            Process format = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("format.log").toFile())
                    .start();
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException(
                        "formatting the Kafka log directory failed:\n" + LogTail.of(workDir.resolve("format.log"), 30));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run Kafka's StorageTool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private void launch() {
        spawn();
        awaitReady();
    }

    /** Starts the process without waiting for it: a node of a quorum cannot be ready before a majority runs. */
    void spawn() {
        List<String> cmd = javaCommand("kafka.Kafka");
        cmd.add(workDir.resolve("server.properties").toString());
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker process", e);
        }
    }

    /**
     * Waits until this node serves clients and is registered as a live broker of its cluster; kills it and throws with
     * its log tail if that does not happen within the start timeout.
     */
    void awaitReady() {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        Exception last = null;
        // Wait for the listener first: an admin client against a closed port only logs warnings.
        while (!portOpen(options.host(), listeners.port()) && process.isAlive() && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue()
                            + " during start-up; its log ends with:\n" + LogTail.of(logFile(), 40));
                }
                try {
                    // Registered and unfenced: what a node of a quorum coming back after a kill has to reach too.
                    if (admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream()
                            .anyMatch(n -> n.id() == node.nodeId())) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
        }
        String why = last == null ? "" : " (last error: " + last.getMessage() + ")";
        killQuietly();
        throw new IllegalStateException("Kafka node " + node.nodeId() + " did not accept clients within "
                + options.startTimeout() + why + "; its log ends with:\n" + LogTail.of(logFile(), 40));
    }

    private List<String> javaCommand(String mainClass) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms256m", "-Xmx" + options.maxHeap()));
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + options.logLevel());
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.addAll(List.of("-cp", classpath, mainClass));
        return cmd;
    }

    private void killQuietly() {
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource io/meshgw/testkit/" + CLASSPATH_RESOURCE
                        + " is missing: build the testkit with Maven (./mvnw -pl e2e-tests/testkit -am install)"
                        + " so the Kafka broker's classpath is recorded");
            }
            String cp = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            for (String entry : cp.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(entry))) {
                    throw new IllegalStateException("the Kafka broker classpath names " + entry
                            + ", which does not exist; rebuild the testkit to resolve the Kafka jars again");
                }
            }
            return cp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** True when something accepts TCP connections on the loopback port. */
    public static boolean portOpen(int port) {
        return portOpen("127.0.0.1", port);
    }

    /** True when something accepts TCP connections at {@code host:port}. */
    public static boolean portOpen(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitPortClosed(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (portOpen(host, port) && System.nanoTime() < deadline) {
            sleep(Duration.ofMillis(100));
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the broker's work directory " + dir, e);
        }
    }

    /**
     * Runs a broker in the foreground until interrupted, for the lab and for trying things by hand:
     * {@code scripts/kafka-broker.sh}.
     */
    public static void main(String[] args) throws InterruptedException {
        try (KafkaBroker broker = start()) {
            System.out.println("kafka broker ready: bootstrap.servers=" + broker.bootstrapServers() + " pid="
                    + broker.pid() + " log=" + broker.logFile());
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
