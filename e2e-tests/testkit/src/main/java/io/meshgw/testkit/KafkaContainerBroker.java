package io.meshgw.testkit;

import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.ContainerNamespace;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.Uuid;
import org.testcontainers.utility.DockerImageName;

/**
 * The same single-node KRaft broker as {@link KafkaBroker}, run by the Kafka image in a container
 * whose namespace the lab wires like any other ({@link ContainerNamespace}). The broker starts
 * after the wiring, on the address the lab gave it, so clients in the lab reach it exactly as they
 * reach a broker on the host. {@link #restart()} restarts the broker process inside the container,
 * which keeps the namespace, its links and the data.
 */
public final class KafkaContainerBroker implements LabBroker {

    /**
     * The Kafka broker on the jars the build uses (the release of kafka-clients), built here by {@code scripts/image.sh
     * lab}: the same two scripts under /opt/kafka/bin as Kafka's own image.
     */
    public static final DockerImageName IMAGE = DockerImageName.parse("meshgw/lab-kafka:4.1.2");

    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    private static final String BIN = "/opt/kafka/bin/";
    private static final String STARTED = "Kafka Server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final ContainerNamespace ns;
    private final String address;
    private final String dir;
    private final Path workDir;

    private KafkaContainerBroker(ContainerNamespace ns, String address, String dir, Path workDir) {
        this.ns = ns;
        this.address = address;
        this.dir = dir;
        this.workDir = workDir;
    }

    /** Starts the container, lets {@code site} wire it, then formats the storage and starts the broker. */
    public static KafkaContainerBroker start(BrokerSite site) {
        ContainerNamespace ns = ContainerNamespace.start(IMAGE, "kafka", List.of());
        try {
            site.plug().accept(ns);
            String dir = ns.createDirectory("meshgw-kafka-");
            KafkaContainerBroker broker = new KafkaContainerBroker(
                    ns, site.ownAddress(), dir, Files.createTempDirectory("meshgw-kafka-container-"));
            ns.writeFile(dir + "/server.properties", serverProperties(site.ownAddress(), dir));
            ns.execPart(
                            Duration.ofMinutes(2),
                            BIN + "kafka-storage.sh",
                            "format",
                            "--ignore-formatted",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            dir + "/server.properties")
                    .check();
            broker.launch();
            return broker;
        } catch (IOException e) {
            ns.close();
            throw new UncheckedIOException("cannot create a directory for the broker's log copies", e);
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The broker's configuration: {@link KafkaBrokerOptions#baseConfig} on the lab's address. */
    static String serverProperties(String address, String dir) {
        Properties p = new Properties();
        p.putAll(KafkaBrokerOptions.baseConfig(
                address, PORT, CONTROLLER_PORT, Path.of(dir, "data"), KraftNode.single(address, CONTROLLER_PORT)));
        StringWriter out = new StringWriter();
        try {
            p.store(out, "meshgw test broker in a container");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Starts the broker in the background of a {@code docker exec}, its output appended to the log
     * and its process id (java: the start script execs it) in a pid file.
     */
    static String launchScript(String dir) {
        return "KAFKA_HEAP_OPTS='-Xms256m -Xmx768m' nohup " + BIN + "kafka-server-start.sh " + dir
                + "/server.properties >> " + dir + "/broker.log 2>&1 & echo $! > " + dir + "/broker.pid";
    }

    private void launch() {
        int startsBefore = startsLogged();
        ns.execPart("sh", "-c", launchScript(dir)).check();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (startsLogged() > startsBefore) {
                return;
            }
            if (!running()) {
                throw new IllegalStateException("the Kafka broker in " + ns.name()
                        + " exited during start-up; its log ends with:\n" + logTail());
            }
            KafkaBroker.sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("the Kafka broker in " + ns.name() + " did not start within " + START_TIMEOUT
                + "; its log ends with:\n" + logTail());
    }

    private int startsLogged() {
        CommandResult r = ns.execPart("grep", "-c", STARTED, dir + "/broker.log");
        return r.ok() ? Integer.parseInt(r.stdout().strip()) : 0; // grep exits 1 on no match, 2 on no file
    }

    private boolean running() {
        return ns.execPart("sh", "-c", "kill -0 $(cat " + dir + "/broker.pid)").ok();
    }

    private String logTail() {
        return ns.execPart("tail", "-n", "40", dir + "/broker.log").stdout();
    }

    private void stop() {
        if (!running()) {
            return;
        }
        // SIGTERM: Kafka does a controlled shutdown and flushes its logs
        ns.execPart("sh", "-c", "kill $(cat " + dir + "/broker.pid)");
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        while (running() && System.nanoTime() < deadline) {
            KafkaBroker.sleep(Duration.ofMillis(100));
        }
        if (running()) {
            ns.execPart("sh", "-c", "kill -9 $(cat " + dir + "/broker.pid)");
        }
    }

    @Override
    public String bootstrapServers() {
        return address + ":" + PORT;
    }

    @Override
    public void restart() {
        stop();
        launch();
    }

    @Override
    public Path logFile() {
        return ns.hostCopy(dir + "/broker.log", workDir);
    }

    /** Removes the container with the broker and its data; the links into it go too. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            ns.close();
        }
    }
}
