package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The node role's DaemonSet: rendered only when asked for, with its uplinks; on the nodes the gateway does not run on,
 * never on a gateway node; pods of its own, which the gateway's selector (immutable) does not count; and the node
 * mode's configuration.
 */
class NodeRoleTest {
    /** The node role turned on with what it needs. */
    static final Map<String, String> ENABLED = Map.of(
            "nodeRole.enabled", "true",
            "nodeRole.uplinks[0]", "eth0",
            "datapath.tunnelEndpoint", "nodeIP");

    static final Map<String, String> GATEWAY_NODE = Map.of("meshgw.io/gateway", "true", "kubernetes.io/os", "linux");
    static final Map<String, String> ORDINARY_NODE = Map.of("kubernetes.io/os", "linux");
    static final Map<String, String> NOT_A_GATEWAY = Map.of("meshgw.io/gateway", "false", "kubernetes.io/os", "linux");

    @Test
    void absentByDefault() {
        var render = ChartRender.defaults();
        assertThat(render.all(DaemonSet.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactly(ChartRender.GATEWAY);
        assertThat(render.objects())
                .as("nothing of the node role")
                .noneMatch(o -> o.getMetadata().getName().contains("node-role"))
                .noneMatch(o -> "node-role".equals(o.getMetadata().getLabels().get("app.kubernetes.io/component")));
    }

    @Test
    void enabledWithUplinksRendersItsDaemonSet() {
        var render = render(ENABLED);
        assertThat(render.all(DaemonSet.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder(ChartRender.GATEWAY, ChartRender.NODE_ROLE);
        var pod = SecurityPostureTest.nodeRolePod(render);
        assertThat(pod.getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("node-role");
            assertThat(c.getImage())
                    .isEqualTo(SecurityPostureTest.gateway(render).getImage());
        });
        assertThat(pod.getServiceAccountName()).isEqualTo(ChartRender.NODE_ROLE);
        assertThat(pod.getHostNetwork()).isTrue();
        assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirstWithHostNet");
        assertThat(pod.getEnableServiceLinks()).isFalse();
    }

    @Test
    void withoutUplinksTheRenderFails() {
        assertThatThrownBy(() -> render(Map.of("nodeRole.enabled", "true", "datapath.tunnelEndpoint", "nodeIP")))
                .hasMessageContaining("nodeRole.enabled needs nodeRole.uplinks");
        assertThatThrownBy(() -> render(with("nodeRole.uplinks[1]", "eth0"))).hasMessageContaining("uplinks");
        assertThatThrownBy(() -> render(with("nodeRole.uplinks[0]", "eth0:1"))).hasMessageContaining("uplinks");
    }

    @Test
    void withoutWhatItDependsOnTheRenderFails() {
        var noEndpoint = new HashMap<>(ENABLED);
        noEndpoint.remove("datapath.tunnelEndpoint");
        assertThatThrownBy(() -> render(noEndpoint)).hasMessageContaining("datapath.tunnelEndpoint (nodeIP)");
        assertThatThrownBy(() -> render(with("datapath.enabled", "false")))
                .hasMessageContaining("needs datapath.enabled");
        assertThatThrownBy(() -> render(with("nodeSelector", "null")))
                .hasMessageContaining("needs the gateway's nodeSelector");
        assertThatThrownBy(() -> render(with("nodeRole.resources.limits.memory", "null")))
                .hasMessageContaining("nodeRole.resources.limits.memory");
    }

    @Test
    void itsSelectorAndTheGatewaysAreDisjoint() {
        for (var render : List.of(render(ENABLED), ChartRender.everything())) {
            var gateway = render.named(DaemonSet.class, ChartRender.GATEWAY);
            var nodeRole = render.named(DaemonSet.class, ChartRender.NODE_ROLE);
            assertThat(gateway.getSpec().getSelector().getMatchLabels())
                    .as("the gateway's selector is immutable: an upgrade must not change it")
                    .isEqualTo(Map.of(
                            "app.kubernetes.io/name", "meshgw", "app.kubernetes.io/instance", ChartRender.RELEASE));
            assertThat(selects(gateway.getSpec().getSelector(), podLabels(nodeRole)))
                    .as("the gateway's selector matches the node role's pods")
                    .isFalse();
            assertThat(selects(nodeRole.getSpec().getSelector(), podLabels(gateway)))
                    .as("the node role's selector matches the gateway's pods")
                    .isFalse();
            assertThat(selects(nodeRole.getSpec().getSelector(), podLabels(nodeRole)))
                    .isTrue();
            assertThat(podLabels(nodeRole)).containsEntry("app.kubernetes.io/component", "node-role");
        }
    }

    @Test
    void neverScheduledOnAGatewayNodeByDefault() {
        var render = render(ENABLED);
        var nodeRole = SecurityPostureTest.nodeRolePod(render);
        var gateway = SecurityPostureTest.pod(render);
        assertThat(NodePlacement.admits(nodeRole, GATEWAY_NODE)).isFalse();
        assertThat(NodePlacement.admits(nodeRole, ORDINARY_NODE)).isTrue();
        assertThat(NodePlacement.admits(nodeRole, NOT_A_GATEWAY)).isTrue();
        for (var node : List.of(GATEWAY_NODE, ORDINARY_NODE, NOT_A_GATEWAY)) {
            assertThat(NodePlacement.admits(gateway, node))
                    .as("exactly one of the two on %s", node)
                    .isNotEqualTo(NodePlacement.admits(nodeRole, node));
        }
        assertThat(nodeRole.getTolerations())
                .as("a node agent: every taint tolerated")
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.getOperator()).isEqualTo("Exists");
                    assertThat(t.getKey()).isNull();
                    assertThat(t.getEffect()).isNull();
                });
    }

    @Test
    void theNodeRolesOwnAffinityNarrowsTheNodesItRunsOnAndKeepsOffEveryGatewayNode() {
        // values-all: nodeRole.affinity admits Linux nodes only.
        var everything = SecurityPostureTest.nodeRolePod(ChartRender.everything());
        assertThat(NodePlacement.admits(everything, ORDINARY_NODE)).isTrue();
        assertThat(NodePlacement.admits(everything, GATEWAY_NODE)).isFalse();
        assertThat(NodePlacement.admits(everything, Map.of("kubernetes.io/os", "windows")))
                .isFalse();

        // A gateway on nodes with two labels: a node with only one of them is no gateway node.
        var set = new HashMap<>(ENABLED);
        set.put("nodeSelector.topology\\.kubernetes\\.io/zone", "edge");
        var render = render(set);
        var nodeRole = SecurityPostureTest.nodeRolePod(render);
        var gateway = SecurityPostureTest.pod(render);
        var edgeGateway = Map.of("meshgw.io/gateway", "true", "topology.kubernetes.io/zone", "edge");
        var gatewayElsewhere = Map.of("meshgw.io/gateway", "true", "topology.kubernetes.io/zone", "core");
        var edgeOrdinary = Map.of("topology.kubernetes.io/zone", "edge");
        for (var node : List.of(edgeGateway, gatewayElsewhere, edgeOrdinary, Map.<String, String>of())) {
            assertThat(NodePlacement.admits(gateway, node))
                    .as("exactly one of the two on %s", node)
                    .isNotEqualTo(NodePlacement.admits(nodeRole, node));
        }
        assertThat(NodePlacement.admits(nodeRole, edgeGateway)).isFalse();
    }

    @Test
    void itsTolerationsPriorityAndResourcesAreItsOwn() {
        var render = ChartRender.everything();
        var pod = SecurityPostureTest.nodeRolePod(render);
        assertThat(pod.getTolerations())
                .as("not the gateway's edge-node tolerations")
                .extracting(Toleration::getOperator)
                .containsExactly("Exists");
        assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
        var resources = SecurityPostureTest.nodeRole(render).getResources();
        assertThat(resources.getRequests().get("cpu").toString()).isEqualTo("50m");
        assertThat(resources.getRequests().get("memory").toString()).isEqualTo("192Mi");
        assertThat(resources.getLimits().get("memory").toString()).isEqualTo("384Mi");
    }

    @Test
    void theNodeModesConfiguration() {
        var render = ChartRender.everything();
        var env = Env.of(SecurityPostureTest.nodeRole(render));
        Map<String, String> meshgw = env.vars().stream()
                .filter(v -> v.getName().startsWith("MESHGW_") && v.getValueFrom() == null)
                .collect(Collectors.toMap(v -> v.getName(), v -> v.getValue()));
        assertThat(meshgw)
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("MESHGW_MODE", "node"),
                        Map.entry("MESHGW_NODE_ROLE_ADDRESS", "$(NODE_IP)"),
                        Map.entry("MESHGW_NODE_ROLE_UPLINKS", "eth0,bond1"),
                        Map.entry("MESHGW_CLUSTER_ID", "7"),
                        Map.entry("MESHGW_CLUSTER_NAME", "east"),
                        Map.entry("MESHGW_KUBERNETES_LEASE_NAMESPACE", "$(POD_NAMESPACE)"),
                        Map.entry("MESHGW_KUBERNETES_IDENTITY", "$(POD_NAME)"),
                        Map.entry("MESHGW_KUBERNETES_DAEMON_SET", ChartRender.NODE_ROLE),
                        Map.entry("MESHGW_DATAPATH_PIN_ROOT", "/run/meshgw/bpf"),
                        Map.entry("MESHGW_DATAPATH_ATTACH_MODE", "tcx"),
                        Map.entry("MESHGW_ADMIN_TOKEN_FILE", "/etc/meshgw/admin/token"),
                        Map.entry("MESHGW_BGP_ENABLED", "false"),
                        Map.entry("MESHGW_MESH_ENABLED", "false"),
                        Map.entry("MESHGW_DATAPATH_ENABLED", "false"),
                        Map.entry("MESHGW_KERNEL_ROUTES_ENABLED", "false")));
        assertThat(env.get("MESHGW_KUBERNETES_NODE_NAME")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("spec.nodeName");
        assertThat(env.get("NODE_IP").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("status.hostIP");
        assertThat(env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("POD_NAME").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(env.value("JDK_JAVA_OPTIONS"))
                .isEqualTo(Env.of(SecurityPostureTest.gateway(render)).value("JDK_JAVA_OPTIONS"));
        assertThat(env.value("QUARKUS_LOG_LEVEL")).isEqualTo("DEBUG");
        assertThat(env.value("QUARKUS_LOG_CONSOLE_JSON_ENABLED")).isEqualTo("true");
        assertThat(env.names()).doesNotHaveDuplicates();
        assertThat(Env.of(SecurityPostureTest.nodeRole(render(with("datapath.pinRoot", "none"))))
                        .value("MESHGW_DATAPATH_PIN_ROOT"))
                .isEqualTo("none");
    }

    @Test
    void everyMeshgwVariableIsAKeyTheGatewayReads() {
        var keys = GatewayKeys.fromSource();
        assertThat(Env.of(SecurityPostureTest.nodeRole(ChartRender.everything()))
                        .names())
                .filteredOn(n -> n.startsWith("MESHGW_"))
                .contains("MESHGW_NODE_ROLE_UPLINKS", "MESHGW_NODE_ROLE_ADDRESS")
                .allSatisfy(n -> assertThat(keys)
                        .as("%s names no key of GatewayConfig (renamed?)", n)
                        .contains(n));
    }

    @Test
    void scrapedLikeTheGatewayByItsPodAnnotations() {
        var render = render(ENABLED);
        assertThat(render.named(DaemonSet.class, ChartRender.NODE_ROLE)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", Integer.toString(SecurityPostureTest.MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/q/metrics");
    }

    @Test
    void withTheServiceMonitorItsPodsAreScrapedByTheirOwnSelectorApartFromTheGateways() {
        var render = ChartRender.everything();
        var gateway = render.named(DaemonSet.class, ChartRender.GATEWAY);
        var nodeRole = render.named(DaemonSet.class, ChartRender.NODE_ROLE);
        var monitor = render.one(PodMonitor.class);
        assertThat(monitor.getMetadata().getName()).isEqualTo(ChartRender.NODE_ROLE);
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(monitor.getSpec().getNamespaceSelector().getMatchNames()).containsExactly(ChartRender.NAMESPACE);
        assertThat(selects(monitor.getSpec().getSelector(), podLabels(nodeRole)))
                .isTrue();
        assertThat(selects(monitor.getSpec().getSelector(), podLabels(gateway)))
                .as("the gateways are the ServiceMonitor's")
                .isFalse();
        assertThat(podLabels(nodeRole)
                        .entrySet()
                        .containsAll(render.one(Service.class)
                                .getSpec()
                                .getSelector()
                                .entrySet()))
                .as("the gateway's metrics Service selects the node role's pods")
                .isFalse();
        var container = SecurityPostureTest.nodeRole(render);
        assertThat(monitor.getSpec().getPodMetricsEndpoints()).singleElement().satisfies(e -> {
            assertThat(container.getPorts())
                    .anySatisfy(p -> assertThat(p.getName()).isEqualTo(e.getPort()));
            assertThat(e.getPath()).isEqualTo("/q/metrics");
        });

        assertThat(render(ENABLED).all(PodMonitor.class))
                .as("without serviceMonitor.enabled")
                .isEmpty();
        assertThat(ChartRender.of(
                                DeployTree.CHART,
                                Optional.of(DeployTree.VALUES_ALL),
                                Map.of("nodeRole.enabled", "false"))
                        .all(PodMonitor.class))
                .as("without the node role")
                .isEmpty();
    }

    @Test
    void notesNameItsDaemonSetOnlyWhenItIsOn() {
        assertThat(notes(Map.of())).doesNotContain("node role");
        assertThat(notes(ENABLED))
                .contains("The node role runs as the DaemonSet meshgw-system/meshgw-node-role")
                .contains("from its uplinks (eth0)")
                .contains("app.kubernetes.io/component=node-role");
    }

    private static String notes(Map<String, String> set) {
        var install = new Helm(DeployTree.CHART)
                .install()
                .withName(ChartRender.RELEASE)
                .withNamespace(ChartRender.NAMESPACE);
        set.forEach(install::set);
        return install.clientOnly()
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .call()
                .getOutput();
    }

    static Map<String, String> with(String key, String value) {
        var set = new HashMap<>(ENABLED);
        set.put(key, value);
        return set;
    }

    static ChartRender render(Map<String, String> set) {
        return ChartRender.of(DeployTree.CHART, Optional.empty(), set);
    }

    private static Map<String, String> podLabels(DaemonSet daemonSet) {
        return daemonSet.getSpec().getTemplate().getMetadata().getLabels();
    }

    /** Whether a DaemonSet's selector (matchLabels only: the chart writes no expressions) selects pod labels. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        assertThat(selector.getMatchExpressions()).isEmpty();
        return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
    }
}
