package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Volume;
import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.ContainerNamespace;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * The gateway image that {@code scripts/image.sh} builds, run as the chart runs it and wired as the gateway node of a
 * small lab: a datacenter router (BIRD, which also stands for the legacy client) on the uplink, and a pod behind the
 * cluster interface. The container runs the image's own entrypoint command, as root with only CAP_SYS_ADMIN and
 * CAP_NET_ADMIN (the chart asks for CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN; the engine here predates the first two,
 * and CAP_SYS_ADMIN is what grants bpf(2) without them), a read-only root file system with a tmpfs on /tmp, no new
 * privileges, and the host's bpffs mounted outside /sys. It must peer, announce the VIP, translate a connection to
 * the pod, and answer {@code meshgw peers} inside the container.
 */
class GatewayImageIT {

    private static final String IMAGE = "ghcr.io/meshgw/gateway:" + System.getProperty("meshgw.version");
    private static final String VIP = HybridLab.VIP; // in the pool ClusterFile writes
    private static final String POD = "10.31.0.10";
    private static final Duration UP = Duration.ofSeconds(90);

    @TempDir
    static Path dir;

    /** Builds the image from the gateway this reactor packaged: what the test runs is this commit's code. */
    @BeforeAll
    static void buildImage() throws Exception {
        assumeTrue(NetNs.available(), "the lab's namespaces need root and iproute2");
        assumeTrue(
                DockerClientFactory.instance().isDockerAvailable(),
                "the gateway image needs a Docker engine on this host (scripts/setup.sh starts one)");
        Path root = Path.of(System.getProperty("meshgw.root")).toAbsolutePath().normalize();
        Path log = dir.resolve("image.log");
        Process p = new ProcessBuilder(root.resolve("scripts/image.sh").toString(), "--no-build")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(p.waitFor())
                .as("scripts/image.sh --no-build; its output: %s", Files.readString(log))
                .isZero();
    }

    @Test
    void theImageServesTheGatewayRoleWithTheChartsPrivileges() throws Exception {
        NetNs.removeStale();
        Path lab = Files.createDirectories(dir.resolve("lab"));
        Files.writeString(
                lab.resolve("east.yaml"),
                ClusterFile.render(new ClusterFile.Spec(
                        "east",
                        List.of(new ClusterFile.Peer("dc", "172.31.0.1", 65001, false, 0)),
                        List.of(POD),
                        VIP,
                        null,
                        List.of(),
                        List.of())));
        Files.writeString(lab.resolve("token"), "image-token\n");
        String pins = "mgwt-image-" + ProcessHandle.current().pid();
        Path hostPins = Path.of("/sys/fs/bpf", pins);
        Files.createDirectories(hostPins);

        // The environment the chart gives the container (what `kubectl exec` sees too), for this lab.
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", "9180");
        env.put("QUARKUS_MANAGEMENT_HOST", "172.31.0.2");
        env.put("QUARKUS_MANAGEMENT_PORT", "9181");
        env.put("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError");
        env.put("MESHGW_ADMIN_TOKEN_FILE", "/etc/meshgw/lab/token");
        env.put("MESHGW_MODE", "standalone");
        env.put("MESHGW_STANDALONE_FILE", "/etc/meshgw/lab/east.yaml");
        env.put("MESHGW_CLUSTER_ID", "1");
        env.put("MESHGW_CLUSTER_NAME", "east");
        env.put("MESHGW_BGP_LOCAL_ASN", "65000");
        env.put("MESHGW_BGP_ROUTER_ID", "172.31.0.2");
        env.put("MESHGW_DATAPATH_ENABLED", "true");
        env.put("MESHGW_DATAPATH_PIN_ROOT", "/run/meshgw/bpf");
        env.put("MESHGW_DATAPATH_LEGACY_INTERFACE", "up0");
        env.put("MESHGW_DATAPATH_CLUSTER_INTERFACE", "cl0");
        env.put("MESHGW_DATAPATH_KEEP_ON_SHUTDOWN", "false");
        env.put("MESHGW_MESH_ENABLED", "false");
        env.put("MESHGW_DNS_ENABLED", "false");
        try (ContainerNamespace gw = ContainerNamespace.start(DockerImageName.parse(IMAGE), "gw", cmd -> {
                    cmd.withEnv(env.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .toList());
                    cmd.getHostConfig()
                            .withCapDrop(Capability.ALL)
                            .withCapAdd(Capability.SYS_ADMIN, Capability.NET_ADMIN)
                            .withReadonlyRootfs(true)
                            // As the chart's emptyDir: the JVM and libbpf extract native libraries there.
                            .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,size=256m"))
                            .withSecurityOpts(List.of("no-new-privileges"))
                            .withBinds(
                                    new Bind(lab.toString(), new Volume("/etc/meshgw/lab"), AccessMode.ro),
                                    // As the chart: only the gateway's own directory of the host's bpffs.
                                    new Bind(hostPins.toString(), new Volume("/run/meshgw/bpf")));
                });
                NetNs dc = NetNs.create("dc");
                NetNs pod = NetNs.create("pod")) {
            NetNs.link(dc, "up0", "172.31.0.1/30", gw, "up0", "172.31.0.2/30");
            NetNs.link(gw, "cl0", "10.31.0.1/24", pod, "eth0", POD + "/24");
            pod.exec("ip", "route", "add", "default", "via", "10.31.0.1").check();
            for (String kv : List.of(
                    "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")) {
                gw.exec("sysctl", "-qw", kv).check();
            }
            pod.spawn(
                    List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo pod saw $SOCAT_PEERADDR"),
                    dir.resolve("pod-8080.log"));

            List<String> entrypoint = List.of(DockerClientFactory.instance()
                    .client()
                    .inspectImageCmd(IMAGE)
                    .exec()
                    .getConfig()
                    .getEntrypoint());
            String start = "nohup " + String.join(" ", entrypoint) + " >/tmp/gateway.log 2>&1 &";
            gw.execPart(Duration.ofSeconds(10), "sh", "-c", start).check();

            try (BgpRouter bird = BgpRouter.start(
                    RouterKind.BIRD,
                    dc,
                    RouterSpec.of("dc", "172.31.0.1", 65001, List.of(BgpNeighbor.of("172.31.0.2", 65000)), List.of())
                            .withKernelRoutes(),
                    Files.createDirectories(dir.resolve("bird")))) {
                assertThat(BgpRouter.await(UP, () -> bird.holds(VIP + "/32")))
                        .as("the router learns the VIP from the gateway in the container; its log:%n%s", log(gw))
                        .isTrue();

                var reply = dc.exec(Duration.ofSeconds(10), "socat", "-T3", "-", "TCP:" + VIP + ":80");
                assertThat(reply.stdout())
                        .as("a connection to the VIP is translated to the pod and back; %s", reply)
                        .contains("pod saw 172.31.0.1");

                var peers = gw.execPart(Duration.ofSeconds(30), "meshgw", "peers");
                assertThat(peers.stdout())
                        .as("meshgw peers inside the container: %s", peers)
                        .contains("meshgw-system/dc")
                        .contains("Established");
            }

            assertThat(gw.execPart(Duration.ofSeconds(5), "sh", "-c", "grep CapEff /proc/self/status")
                            .stdout())
                    .as("CAP_SYS_ADMIN (21) and CAP_NET_ADMIN (12), nothing else")
                    .contains("0000000000201000");
            assertThat(gw.execPart(Duration.ofSeconds(5), "touch", "/app/written")
                            .exitCode())
                    .as("the root file system is read-only")
                    .isNotZero();
        } finally {
            Command.run(List.of("rm", "-rf", hostPins.toString()));
        }
    }

    /** The gateway's log in the container, for a failure message. */
    private static String log(ContainerNamespace gw) {
        var tail = gw.execPart(Duration.ofSeconds(5), "tail", "-n", "60", "/tmp/gateway.log");
        return new ArrayList<>(List.of(tail.stdout(), tail.stderr())).stream().collect(Collectors.joining("\n"));
    }
}
