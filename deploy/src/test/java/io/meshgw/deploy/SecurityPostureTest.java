package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway pod gets what its job needs and nothing else: the host network and its own directory of the host's
 * bpffs, a fixed set of
 * capabilities on top of dropping all, never privileged, a read-only root, the admin API on loopback and the
 * probes on the management port.
 */
class SecurityPostureTest {
    static final int ADMIN_PORT = 9180;
    static final int MANAGEMENT_PORT = 9181;

    static Stream<Arguments> renders() {
        return Stream.of(
                Arguments.of("defaults", ChartRender.defaults(), Set.of("NET_BIND_SERVICE", "BPF", "NET_ADMIN")),
                Arguments.of(
                        "everything on",
                        ChartRender.everything(),
                        Set.of("NET_BIND_SERVICE", "BPF", "NET_ADMIN", "PERFMON")),
                Arguments.of(
                        "no datapath, BGP on a high port",
                        ChartRender.of(
                                DeployTree.CHART,
                                Optional.empty(),
                                Map.of("datapath.enabled", "false", "bgp.port", "1179")),
                        Set.of()),
                Arguments.of(
                        "kernel routes without the datapath",
                        ChartRender.of(
                                DeployTree.CHART,
                                Optional.empty(),
                                Map.of("datapath.enabled", "false", "kernelRoutes.enabled", "true")),
                        Set.of("NET_BIND_SERVICE", "NET_ADMIN")),
                Arguments.of(
                        "no BGP",
                        ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("bgp.enabled", "false")),
                        Set.of("BPF", "NET_ADMIN")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void neverPrivilegedAndOnlyTheNeededCapabilities(String name, ChartRender render, Set<String> capabilities) {
        PodSpec pod = pod(render);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);

        var sc = gateway(render).getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd())
                .as("added capabilities")
                .containsExactlyInAnyOrderElementsOf(capabilities)
                .doesNotContain("SYS_ADMIN", "CAP_SYS_ADMIN", "ALL");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void hostNetworkAndOnlyMeshgwsDirectoryOfTheHostsBpffs(String name, ChartRender render, Set<String> capabilities) {
        PodSpec pod = pod(render);
        Container gateway = gateway(render);
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getEnableServiceLinks()).isFalse();

        boolean datapath = capabilities.contains("BPF");
        assertThat(Env.of(gateway).value("MESHGW_DATAPATH_ENABLED")).isEqualTo(Boolean.toString(datapath));
        List<Volume> hostPaths =
                pod.getVolumes().stream().filter(v -> v.getHostPath() != null).toList();
        if (!datapath) {
            assertThat(hostPaths).as("no host path without the datapath").isEmpty();
            return;
        }
        String pinRoot = Env.of(gateway).value("MESHGW_DATAPATH_PIN_ROOT");
        // A compromised gateway must not reach other tools' pins (Cilium's among them): only its own directory.
        assertThat(hostPaths).singleElement().satisfies(v -> {
            assertThat(v.getHostPath().getPath()).isEqualTo("/sys/fs/bpf/meshgw");
            assertThat(v.getHostPath().getType()).isEqualTo("DirectoryOrCreate");
        });
        assertThat(gateway.getVolumeMounts())
                .filteredOn(m -> m.getName().equals(hostPaths.getFirst().getName()))
                .singleElement()
                .satisfies(m -> {
                    assertThat(m.getMountPath())
                            .as("the pins are where the gateway looks")
                            .isEqualTo(pinRoot);
                    assertThat(m.getMountPath())
                            .as("not below the container's read-only sysfs")
                            .doesNotStartWith("/sys/");
                    assertThat(m.getMountPropagation()).isEqualTo("HostToContainer");
                    assertThat(m.getReadOnly()).isNotEqualTo(Boolean.TRUE);
                });
        assertThat(Env.of(gateway).value("MESHGW_DATAPATH_KEEP_ON_SHUTDOWN")).isEqualTo("true");
        assertThat(gateway.getSecurityContext().getAppArmorProfile().getType())
                .as("the runtimes' default AppArmor profile denies writes under /sys/fs/bpf")
                .isEqualTo("Unconfined");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void theAdminApiStaysOffTheNodesAddressWhileProbesAndScrapesReachTheManagementPort(
            String name, ChartRender render, Set<String> capabilities) {
        Container gateway = gateway(render);
        assertProbesOnTheManagementPort(gateway);

        var env = Env.of(gateway);
        assertThat(env.value("QUARKUS_HTTP_HOST"))
                .as("the admin API (a bearer token over plain HTTP) on the host network: loopback only")
                .isEqualTo("127.0.0.1");
        assertThat(env.value("QUARKUS_HTTP_PORT")).isEqualTo(Integer.toString(ADMIN_PORT));
        assertThat(env.value("QUARKUS_MANAGEMENT_HOST"))
                .as("health and metrics on the pod's address, where the kubelet probes and Prometheus scrapes")
                .isEqualTo("$(POD_IP)");
        assertThat(env.get("POD_IP").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.podIP");
        assertThat(env.value("QUARKUS_MANAGEMENT_PORT")).isEqualTo(Integer.toString(MANAGEMENT_PORT));
        String tokenFile = env.value("MESHGW_ADMIN_TOKEN_FILE");
        String tokenDir = tokenFile.substring(0, tokenFile.lastIndexOf('/'));
        var tokenVolume = Env.mountOf(pod(render), gateway, tokenDir);
        assertThat(tokenVolume.getSecret())
                .as("the admin token is a mounted Secret")
                .isNotNull();
        assertThat(tokenVolume.getSecret().getItems())
                .anySatisfy(i -> assertThat(i.getPath()).isEqualTo(tokenFile.substring(tokenDir.length() + 1)));

        assertThat(render.named(DaemonSet.class, ChartRender.GATEWAY)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    @Test
    void anAdminApiMovedOffLoopbackKeepsItsTokenAndHidesItsDescription() {
        var render = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("admin.host", "0.0.0.0"));
        var env = Env.of(gateway(render));
        assertThat(env.value("QUARKUS_HTTP_HOST")).isEqualTo("0.0.0.0");
        assertThat(env.value("MESHGW_ADMIN_TOKEN_FILE")).isNotBlank();
        assertThat(env.value("QUARKUS_SMALLRYE_OPENAPI_ENABLE")).isEqualTo("false");
        assertThat(Env.of(gateway(ChartRender.defaults())).names()).doesNotContain("QUARKUS_SMALLRYE_OPENAPI_ENABLE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void theJvmHasAnExplicitHeapWithinTheMemoryLimitAndExitsOnOutOfMemory(
            String name, ChartRender render, Set<String> capabilities) {
        Container gateway = gateway(render);
        assertThat(Env.of(gateway).value("JDK_JAVA_OPTIONS"))
                .as("a JVM out of memory exits rather than run on half dead; the heap is a share of the limit")
                .contains("-XX:+ExitOnOutOfMemoryError")
                .containsPattern("-XX:MaxRAMPercentage=\\d+");
        assertThat(gateway.getResources().getLimits()).containsKey("memory");
        assertThat(gateway.getResources().getRequests()).containsKeys("memory", "cpu");
    }

    @Test
    void probesFollowAManagementAddressSetApart() {
        var render = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("management.host", "10.20.0.7"));
        Container gateway = gateway(render);
        assertThat(Env.of(gateway).value("QUARKUS_MANAGEMENT_HOST")).isEqualTo("10.20.0.7");
        for (Probe probe :
                List.of(gateway.getLivenessProbe(), gateway.getReadinessProbe(), gateway.getStartupProbe())) {
            assertThat(probe.getHttpGet().getHost()).isEqualTo("10.20.0.7");
        }
        assertThat(gateway(ChartRender.defaults())
                        .getLivenessProbe()
                        .getHttpGet()
                        .getHost())
                .as("the pod's address, where the gateway listens by default")
                .isNull();
    }

    @Test
    void aHeapWithoutAMemoryLimitIsRefused() {
        assertThatThrownBy(() ->
                        ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("resources.limits.memory", "null")))
                .hasMessageContaining("resources.limits.memory");
        var render = ChartRender.of(
                DeployTree.CHART,
                Optional.empty(),
                Map.of("jvm.maxRamPercentage", "50", "jvm.extraOptions", "-XX:+UseZGC"));
        assertThat(Env.of(gateway(render)).value("JDK_JAVA_OPTIONS"))
                .isEqualTo("-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+UseZGC");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void writableOnlyWhereItMustBe(String name, ChartRender render, Set<String> capabilities) {
        PodSpec pod = pod(render);
        Container gateway = gateway(render);
        for (var mount : gateway.getVolumeMounts()) {
            Volume volume = Env.mountOf(pod, gateway, mount.getMountPath());
            boolean writable = !Boolean.TRUE.equals(mount.getReadOnly());
            if (writable) {
                assertThat(mount.getMountPath())
                        .as("writable mount %s", mount.getName())
                        .isIn(
                                "/tmp",
                                capabilities.contains("BPF")
                                        ? Env.of(gateway).value("MESHGW_DATAPATH_PIN_ROOT")
                                        : "/tmp");
            }
            if (volume.getSecret() != null) {
                assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0400);
            }
        }
        assertThat(Env.mountOf(pod, gateway, "/tmp").getEmptyDir()).isNotNull();
    }

    @Test
    void theWholeBpffsIsNeverMounted() {
        for (String pinRoot :
                List.of("/sys/fs/bpf/", "/sys/fs/bpf/..", "/sys/fs/bpf/meshgw/../cilium", "/sys/fs/bpf/./x")) {
            assertThatThrownBy(() ->
                            ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("datapath.pinRoot", pinRoot)))
                    .as(pinRoot)
                    .hasMessageContaining("datapath.pinRoot");
        }
    }

    @Test
    void withoutPinsNoHostPathIsMounted() {
        var render = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("datapath.pinRoot", "none"));
        assertThat(pod(render).getVolumes())
                .allSatisfy(v -> assertThat(v.getHostPath()).isNull());
        assertThat(Env.of(gateway(render)).value("MESHGW_DATAPATH_PIN_ROOT")).isEqualTo("none");
    }

    @Test
    void anotherPinRootIsMountedWhereTheGatewayPins() {
        var render = ChartRender.of(
                DeployTree.CHART, Optional.empty(), Map.of("datapath.pinRoot", "/sys/fs/bpf/edge/meshgw"));
        var pinRoot = Env.of(gateway(render)).value("MESHGW_DATAPATH_PIN_ROOT");
        assertThat(Env.mountOf(pod(render), gateway(render), pinRoot)
                        .getHostPath()
                        .getPath())
                .isEqualTo("/sys/fs/bpf/edge/meshgw");
    }

    static Stream<Arguments> nodeRoleRenders() {
        return Stream.of(
                Arguments.of("node role", NodeRoleTest.render(NodeRoleTest.ENABLED), Set.of("BPF", "NET_ADMIN")),
                Arguments.of("everything on", ChartRender.everything(), Set.of("BPF", "NET_ADMIN", "PERFMON")));
    }

    /** The node role loads and attaches BPF; it binds no port below 1024, mounts no system directory. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("nodeRoleRenders")
    void theNodeRoleGetsOnlyWhatLoadingAndAttachingBpfNeeds(String name, ChartRender render, Set<String> capabilities) {
        PodSpec pod = nodeRolePod(render);
        Container nodeRole = nodeRole(render);
        assertThat(pod.getContainers()).hasSize(1);
        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
        assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);

        var sc = nodeRole.getSecurityContext();
        assertThat(sc.getPrivileged()).isFalse();
        assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
        assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
        assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(sc.getAppArmorProfile().getType()).isEqualTo("Unconfined");
        assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(sc.getCapabilities().getAdd())
                .as("added capabilities")
                .containsExactlyInAnyOrderElementsOf(capabilities)
                .doesNotContain("SYS_ADMIN", "CAP_SYS_ADMIN", "NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE", "ALL");
        assertThat(nodeRole.getPorts())
                .as("no port below 1024")
                .allSatisfy(p -> assertThat(p.getContainerPort()).isGreaterThanOrEqualTo(1024));

        String pinRoot = Env.of(nodeRole).value("MESHGW_DATAPATH_PIN_ROOT");
        assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null))
                .singleElement()
                .satisfies(v -> assertThat(v.getHostPath().getPath()).isEqualTo("/sys/fs/bpf/meshgw"));
        assertThat(Env.mountOf(pod, nodeRole, pinRoot).getHostPath()).isNotNull();
        for (var mount : nodeRole.getVolumeMounts()) {
            if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                assertThat(mount.getMountPath())
                        .as("writable mount %s", mount.getName())
                        .isIn("/tmp", pinRoot);
            }
            Volume volume = Env.mountOf(pod, nodeRole, mount.getMountPath());
            if (volume.getSecret() != null)
                assertThat(volume.getSecret().getDefaultMode()).isEqualTo(0400);
        }
        assertThat(Env.mountOf(pod, nodeRole, "/tmp").getEmptyDir()).isNotNull();

        assertProbesOnTheManagementPort(nodeRole);
        var env = Env.of(nodeRole);
        assertThat(env.value("QUARKUS_HTTP_HOST"))
                .as("the admin API on loopback")
                .isEqualTo("127.0.0.1");
        assertThat(env.value("QUARKUS_MANAGEMENT_HOST")).isEqualTo("$(POD_IP)");
        assertThat(env.value("QUARKUS_MANAGEMENT_PORT")).isEqualTo(Integer.toString(MANAGEMENT_PORT));
        String tokenFile = env.value("MESHGW_ADMIN_TOKEN_FILE");
        assertThat(Env.mountOf(pod, nodeRole, tokenFile.substring(0, tokenFile.lastIndexOf('/')))
                        .getSecret()
                        .getSecretName())
                .isEqualTo("meshgw-admin");
        assertThat(env.value("JDK_JAVA_OPTIONS")).contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(nodeRole.getResources().getLimits()).containsKey("memory");
    }

    @Test
    void theNodeRoleWithoutPinsMountsNoHostPath() {
        var render = NodeRoleTest.render(NodeRoleTest.with("datapath.pinRoot", "none"));
        assertThat(nodeRolePod(render).getVolumes())
                .allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    }

    static PodSpec pod(ChartRender render) {
        return render.named(DaemonSet.class, ChartRender.GATEWAY)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    static Container gateway(ChartRender render) {
        return pod(render).getContainers().getFirst();
    }

    static PodSpec nodeRolePod(ChartRender render) {
        return render.named(DaemonSet.class, ChartRender.NODE_ROLE)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    static Container nodeRole(ChartRender render) {
        return nodeRolePod(render).getContainers().getFirst();
    }

    /** Started and live at /q/health/live, ready at /q/health/ready, all on the management port. */
    private static void assertProbesOnTheManagementPort(Container container) {
        assertThat(port(container, container.getLivenessProbe())).isEqualTo(MANAGEMENT_PORT);
        assertThat(port(container, container.getReadinessProbe())).isEqualTo(MANAGEMENT_PORT);
        assertThat(port(container, container.getStartupProbe())).isEqualTo(MANAGEMENT_PORT);
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    }

    /** The container port a probe's named or numbered port resolves to. */
    private static int port(Container container, Probe probe) {
        var port = probe.getHttpGet().getPort();
        if (port.getStrVal() == null) return port.getIntVal();
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("probe port " + port.getStrVal() + " is no container port"));
    }
}
