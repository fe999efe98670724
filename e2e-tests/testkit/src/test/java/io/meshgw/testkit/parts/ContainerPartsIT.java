package io.meshgw.testkit.parts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.BrokerSite;
import io.meshgw.testkit.LabBroker;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.PartNamespace;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.FrrRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container path of {@link LabParts} on a real Docker engine: an FRR container wired as a
 * namespace peers with BIRD in a local namespace, and a Kafka container is reached from a local
 * namespace, before and after a restart of its broker. Skipped, with what is missing, where there
 * is no Docker engine.
 */
class ContainerPartsIT {

    private static final Duration SESSION_UP = Duration.ofSeconds(60);

    private final LabParts parts = LabParts.of(PartsSource.CONTAINERS);

    @TempDir
    Path tmp;

    /** Per test, not per class, so that each test is reported skipped with this reason. */
    @BeforeEach
    void requireDockerAndNamespaces() {
        Optional<String> absent = DockerEngine.whyUnavailable();
        assumeTrue(
                absent.isEmpty(),
                () -> "the FRR and Kafka containers need a Docker engine on this host, and " + absent.orElseThrow());
        assumeTrue(
                NetNs.available(),
                "containers are wired as network namespaces (ip link ... netns <pid>, nsenter): needs root and"
                        + " iproute2");
        NetNs.removeStale();
    }

    @Test
    void anFrrContainerReachesEstablishedWithBirdInANamespace() throws Exception {
        try (NetNs birdNs = NetNs.create("bird");
                PartNamespace frrNs = parts.frrNamespace("frr")) {
            NetNs.link(birdNs, "a0", "10.204.0.1/30", frrNs, "b0", "10.204.0.2/30");
            var birdSpec = RouterSpec.of(
                    "bird", "10.204.0.1", 65001, List.of(BgpNeighbor.of("10.204.0.2", 65002)), List.of("10.10.4.0/24"));
            var frrSpec = RouterSpec.of(
                    "frr", "10.204.0.2", 65002, List.of(BgpNeighbor.of("10.204.0.1", 65001)), List.of("10.20.4.0/24"));
            try (BgpRouter bird = BgpRouter.start(
                            RouterKind.BIRD, birdNs, birdSpec, Files.createDirectories(tmp.resolve("bird")));
                    FrrRouter frr = parts.frr(frrNs, frrSpec, tmp.resolve("frr"))) {
                assertThat(BgpRouter.await(SESSION_UP, () -> frr.established("10.204.0.1")))
                        .as("FRR in %s reaches Established with BIRD; its log: %s", frrNs.name(), tmp.resolve("frr"))
                        .isTrue();
                assertThat(BgpRouter.await(SESSION_UP, () -> bird.established("10.204.0.2")))
                        .isTrue();
                assertThat(BgpRouter.await(SESSION_UP, () -> frr.holds("10.10.4.0/24")))
                        .as("FRR learned BIRD's prefix")
                        .isTrue();
                assertThat(BgpRouter.await(SESSION_UP, () -> bird.holds("10.20.4.0/24")))
                        .as("BIRD learned FRR's prefix")
                        .isTrue();
                assertThat(ProcessHandle.of(frr.pid()).flatMap(p -> p.info().command()))
                        .as("the host pid of the container's bgpd")
                        .hasValueSatisfying(cmd -> assertThat(cmd).endsWith("bgpd"));
                assertThat(frr.logFile()).exists();
            }
        }
    }

    @Test
    void theKafkaContainerIsReachableFromANamespaceAcrossARestart() {
        try (NetNs client = NetNs.create("kcli");
                LabBroker broker = parts.broker(new BrokerSite(
                        "127.0.0.1", // where a broker on the host would listen; not this one
                        "10.204.1.2",
                        kafka -> NetNs.link(client, "k0", "10.204.1.1/30", kafka, "eth0", "10.204.1.2/30")))) {
            assertThat(broker.bootstrapServers()).isEqualTo("10.204.1.2:9092");
            String before = clusterIdFrom(client, broker);
            assertThat(before).isNotBlank();
            broker.restart();
            assertThat(clusterIdFrom(client, broker))
                    .as("the restarted broker kept its data; its log: %s", broker.logFile())
                    .isEqualTo(before);
        }
    }

    /** Asks the broker for its cluster id from inside {@code ns}; Kafka's threads inherit it. */
    private static String clusterIdFrom(NetNs ns, LabBroker broker) {
        return ThreadNetns.call(ns, () -> {
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    broker.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    60_000))) {
                return admin.describeCluster().clusterId().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("no answer from " + broker.bootstrapServers() + " in " + ns.name(), e);
            }
        });
    }
}
