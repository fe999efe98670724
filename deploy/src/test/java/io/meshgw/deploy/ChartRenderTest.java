package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart lints, renders into valid objects for its default and its everything-on values, and refuses bad input. */
class ChartRenderTest {

    @Test
    void lintsWithoutWarnings() {
        var result = new Helm(DeployTree.CHART).lint().call();
        assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
        assertThat(result.getMessages())
                .as("helm lint")
                .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    @Test
    void defaultValuesRenderTheGatewayAndItsPermissions() {
        var render = ChartRender.defaults();
        assertThat(kinds(render.objects()))
                .filteredOn(k -> !k.equals("CustomResourceDefinition"))
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "Secret",
                        "DaemonSet");
        assertThat(SecurityPostureTest.gateway(render).getImage())
                .as("the image scripts/image.sh builds: the project version")
                .isEqualTo("ghcr.io/meshgw/gateway:" + System.getProperty("meshgw.version"));
        assertNamespaced(render);
    }

    @Test
    void everythingOnRendersEveryOptionalPart() {
        var render = ChartRender.everything();
        assertThat(kinds(render.objects()))
                .filteredOn(k -> !k.equals("CustomResourceDefinition"))
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "Role",
                        "RoleBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "ValidatingAdmissionPolicy",
                        "ValidatingAdmissionPolicyBinding",
                        "Secret",
                        "DaemonSet",
                        "ConfigMap",
                        "ConfigMap",
                        "Service",
                        "ServiceMonitor",
                        "PrometheusRule",
                        // The node role: its DaemonSet, account and read-only permissions.
                        "DaemonSet",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding",
                        "PodMonitor");
        assertNamespaced(render);

        var monitor = render.one(ServiceMonitor.class);
        var service = render.one(Service.class);
        assertThat(service.getSpec().getSelector())
                .isEqualTo(render.named(DaemonSet.class, ChartRender.GATEWAY)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(service.getMetadata().getLabels())
                .containsAllEntriesOf(monitor.getSpec().getSelector().getMatchLabels());
        assertThat(monitor.getSpec().getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getPort())
                    .isEqualTo(service.getSpec().getPorts().getFirst().getName());
            assertThat(e.getPath()).isEqualTo("/q/metrics");
        });
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(SecurityPostureTest.gateway(render).getImage())
                .isEqualTo(
                        "ghcr.io/meshgw/gateway@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    }

    @Test
    void kafkaSettingsReachTheGatewayAsAPropertiesFileAndTheSaslSecretThroughTheEnvironment() {
        var render = ChartRender.everything();
        String properties = configMap(render, "meshgw-config").getData().get("application.properties");
        assertThat(properties.lines())
                .contains(
                        "meshgw.mesh.kafka.\"security.protocol\"=SASL_SSL",
                        "meshgw.mesh.kafka.\"ssl.truststore.type\"=PEM",
                        "meshgw.mesh.kafka.\"ssl.truststore.location\"=/etc/meshgw/kafka-tls/ca.crt",
                        "meshgw.mesh.kafka.\"ssl.keystore.location\"=/etc/meshgw/kafka-tls/client.pem",
                        "meshgw.mesh.kafka.\"sasl.mechanism\"=SCRAM-SHA-512",
                        "meshgw.mesh.kafka.\"sasl.jaas.config\"=${KAFKA_SASL_JAAS_CONFIG}",
                        "meshgw.mesh.kafka.\"ssl.endpoint.identification.algorithm\"=https");
        assertThat(properties).doesNotContain("password");

        var pod = SecurityPostureTest.pod(render);
        var container = SecurityPostureTest.gateway(render);
        assertThat(Env.of(container).value("QUARKUS_CONFIG_LOCATIONS"))
                .isEqualTo("file:/etc/meshgw/config/application.properties");
        assertThat(Env.of(container)
                        .get("KAFKA_SASL_JAAS_CONFIG")
                        .getValueFrom()
                        .getSecretKeyRef())
                .satisfies(ref -> {
                    assertThat(ref.getName()).isEqualTo("kafka-sasl");
                    assertThat(ref.getKey()).isEqualTo("sasl.jaas.config");
                });
        assertThat(Env.mountOf(pod, container, "/etc/meshgw/config")
                        .getConfigMap()
                        .getName())
                .isEqualTo("meshgw-config");
        assertThat(Env.mountOf(pod, container, "/etc/meshgw/kafka-tls")
                        .getSecret()
                        .getSecretName())
                .isEqualTo("kafka-tls");
        assertThat(render.named(DaemonSet.class, ChartRender.GATEWAY)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations())
                .as("a changed Kafka configuration must roll the pods")
                .containsKey("checksum/config");
    }

    @Test
    void everyMeshgwVariableIsAKeyTheGatewayReads() {
        var keys = GatewayKeys.fromSource();
        for (var render : List.of(ChartRender.defaults(), ChartRender.everything())) {
            var container = SecurityPostureTest.gateway(render);
            assertThat(Env.of(container).names())
                    .filteredOn(n -> n.startsWith("MESHGW_"))
                    .isNotEmpty()
                    .allSatisfy(n -> assertThat(keys)
                            .as("%s names no key of GatewayConfig (renamed?)", n)
                            .contains(n));
        }
    }

    @Test
    void logLevelAndJsonLogsReachTheGatewayAsQuarkusVariables() throws IOException {
        assertThat(gatewayEnv(ChartRender.defaults()).value("QUARKUS_LOG_LEVEL"))
                .isEqualTo("INFO");
        assertThat(gatewayEnv(ChartRender.defaults()).value("QUARKUS_LOG_CONSOLE_JSON_ENABLED"))
                .isEqualTo("false");
        var set = gatewayEnv(render(Map.of("log.level", "DEBUG", "log.json", "true")));
        assertThat(set.value("QUARKUS_LOG_LEVEL")).isEqualTo("DEBUG");
        assertThat(set.value("QUARKUS_LOG_CONSOLE_JSON_ENABLED")).isEqualTo("true");

        assertThatThrownBy(() -> render(Map.of("log.level", "debug"))).hasMessageContaining("log.level");
        assertThatThrownBy(() -> render(Map.of("log.level", "TRACE"))).hasMessageContaining("log.level");
        assertThatThrownBy(() -> render(Map.of("log.json", "yes"))).hasMessageContaining("log.json");
        // The variable sets a key of the gateway's JSON logging extension, which the gateway turns off by default.
        assertThat(Files.readString(DeployTree.ROOT.resolve("../gateway/src/main/resources/application.properties")))
                .contains("quarkus.log.console.json.enabled=false");
    }

    @Test
    void theTunnelDeviceIsSetOnlyWhenGivenAndMustBeAnInterfaceName() {
        assertThat(gatewayEnv(ChartRender.defaults()).names()).doesNotContain("MESHGW_DATAPATH_TUNNEL_DEVICE");
        assertThat(gatewayEnv(render(Map.of(
                                "datapath.legacyInterface", "eth0",
                                "datapath.clusterInterface", "eth1",
                                "datapath.tunnelDevice", "wg0")))
                        .value("MESHGW_DATAPATH_TUNNEL_DEVICE"))
                .isEqualTo("wg0");
        assertThatThrownBy(() -> render(Map.of("datapath.tunnelDevice", "wg0/x")))
                .hasMessageContaining("tunnelDevice");
    }

    @Test
    void theConntrackSizesAreSetOnlyWhenGivenAndAtLeast1024() {
        assertThat(gatewayEnv(ChartRender.defaults()).names())
                .doesNotContain("MESHGW_DATAPATH_CONNTRACK_ENTRIES", "MESHGW_DATAPATH_CONNTRACK6_ENTRIES");
        var sized = gatewayEnv(
                render(Map.of("datapath.conntrackEntries", "1048576", "datapath.conntrack6Entries", "65536")));
        assertThat(sized.value("MESHGW_DATAPATH_CONNTRACK_ENTRIES")).isEqualTo("1048576");
        assertThat(sized.value("MESHGW_DATAPATH_CONNTRACK6_ENTRIES")).isEqualTo("65536");
        assertThatThrownBy(() -> render(Map.of("datapath.conntrack6Entries", "512")))
                .hasMessageContaining("conntrack6Entries");
    }

    @Test
    void theTunnelEndpointIsTheNodesAddressOrALiteralAndNothingByDefault() {
        assertThat(gatewayEnv(ChartRender.defaults()).names()).doesNotContain("MESHGW_DATAPATH_TUNNEL_ENDPOINT");
        assertThat(gatewayEnv(render(Map.of("datapath.tunnelEndpoint", "nodeIP")))
                        .value("MESHGW_DATAPATH_TUNNEL_ENDPOINT"))
                .as("the node's address, from the downward API")
                .isEqualTo("$(NODE_IP)");
        assertThat(gatewayEnv(render(Map.of("datapath.tunnelEndpoint", "192.0.2.7")))
                        .value("MESHGW_DATAPATH_TUNNEL_ENDPOINT"))
                .isEqualTo("192.0.2.7");
        for (String bad : List.of("node-ip", "192.0.2.256", "fd00::1", "gw.example.net")) {
            assertThatThrownBy(() -> render(Map.of("datapath.tunnelEndpoint", bad)))
                    .as(bad)
                    .hasMessageContaining("tunnelEndpoint");
        }
    }

    @Test
    void kernelRoutesReachTheGatewayAndNeedTheSpeaker() {
        var env = gatewayEnv(ChartRender.everything());
        assertThat(env.value("MESHGW_KERNEL_ROUTES_ENABLED")).isEqualTo("true");
        assertThat(env.value("MESHGW_KERNEL_ROUTES_TABLE")).isEqualTo("100");
        assertThat(env.value("MESHGW_KERNEL_ROUTES_MAX_PATHS")).isEqualTo("4");
        assertThat(env.value("MESHGW_KERNEL_ROUTES_METRIC")).isEqualTo("30");
        assertThat(env.value("MESHGW_KERNEL_ROUTES_KEEP_ON_SHUTDOWN")).isEqualTo("false");
        assertThat(env.value("MESHGW_KERNEL_ROUTES_RESTART_GRACE")).isEqualTo("300s");
        assertThat(gatewayEnv(ChartRender.defaults()).names()).doesNotContain("MESHGW_KERNEL_ROUTES_TABLE");
        assertThatThrownBy(() -> render(Map.of("kernelRoutes.enabled", "true", "bgp.enabled", "false")))
                .hasMessageContaining("bgp.enabled");
        assertThatThrownBy(() -> render(Map.of("kernelRoutes.table", "255"))).hasMessageContaining("table");
        assertThatThrownBy(() -> render(Map.of("kernelRoutes.maxPaths", "0"))).hasMessageContaining("maxPaths");
    }

    @Test
    void everyVariableOfTheGatewayIsSetOnce() {
        for (var render : List.of(ChartRender.defaults(), ChartRender.everything())) {
            assertThat(gatewayEnv(render).names()).doesNotHaveDuplicates();
        }
    }

    @Test
    void theDefaultRenderCreatesTheAdminSecretAsAKeptResourceNotAHook() {
        var render = ChartRender.defaults();
        var secret = render.one(Secret.class);

        assertThat(secret.getMetadata().getName()).isEqualTo("meshgw-admin");
        assertThat(secret.getMetadata().getAnnotations())
                .as("an install hook is run again by GitOps syncs; keep: uninstall leaves the token")
                .containsEntry("helm.sh/resource-policy", "keep")
                .doesNotContainKeys("helm.sh/hook", "argocd.argoproj.io/hook");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("token"))))
                .hasSize(48)
                .isAlphanumeric();
        assertThat(Env.mountOf(
                                SecurityPostureTest.pod(render),
                                SecurityPostureTest.gateway(render),
                                "/etc/meshgw/admin")
                        .getSecret()
                        .getSecretName())
                .isEqualTo("meshgw-admin");
    }

    @Test
    void anExistingSecretRendersNoSecretAndTheGatewayReadsItsKey() {
        var render = render(Map.of("admin.existingSecret", "ops-token", "admin.tokenKey", "bearer"));

        assertThat(render.maybe(Secret.class)).isEmpty();
        var pod = SecurityPostureTest.pod(render);
        var container = SecurityPostureTest.gateway(render);
        var volume = Env.mountOf(pod, container, "/etc/meshgw/admin").getSecret();
        assertThat(volume.getSecretName()).isEqualTo("ops-token");
        assertThat(volume.getItems()).singleElement().satisfies(i -> {
            assertThat(i.getKey()).isEqualTo("bearer");
            assertThat(i.getPath()).isEqualTo("bearer");
        });
        assertThat(Env.of(container).value("MESHGW_ADMIN_TOKEN_FILE")).isEqualTo("/etc/meshgw/admin/bearer");
    }

    @Test
    void everyLookupOfTheChartIsOneTheTestsRenderWithoutACluster() throws IOException {
        try (Stream<Path> files = Files.walk(DeployTree.CHART.resolve("templates"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                long lookups =
                        Pattern.compile("\\blookup\\b").matcher(text).results().count();
                long understood = ChartRender.LOOKUP.matcher(text).results().count();
                assertThat(understood)
                        .as("lookups in %s that ChartRender.LOOKUP matches", file)
                        .isEqualTo(lookups);
            }
        }
    }

    @Test
    void theTokenOfTheSecretAlreadyInTheClusterIsKept(@TempDir Path tmp) throws IOException {
        // helm template looks nothing up; a copy of the chart whose one lookup finds a Secret stands in for a cluster.
        Path chart = copyChart(tmp);
        Path template = chart.resolve("templates/secret-admin.yaml");
        String text = Files.readString(template);
        String lookup = "lookup \"v1\" \"Secret\" .Release.Namespace $name";
        assertThat(text).containsOnlyOnce(lookup);

        String found = "(dict \"data\" (dict \"token\" \"c3RheS1mb3JldmVy\"))";
        Files.writeString(template, text.replace(lookup, found));
        var kept = ChartRender.of(chart, Optional.empty(), Map.of()).one(Secret.class);
        assertThat(kept.getData()).containsExactly(Map.entry("token", "c3RheS1mb3JldmVy"));

        Files.writeString(template, text.replace(lookup, "(dict \"data\" (dict \"other\" \"eA==\"))"));
        var fresh = ChartRender.of(chart, Optional.empty(), Map.of()).one(Secret.class);
        assertThat(new String(Base64.getDecoder().decode(fresh.getData().get("token"))))
                .as("a Secret without the key gets a new token")
                .hasSize(48);
    }

    @Test
    void notesTellWhatIsLeftToDo() {
        String notes = new Helm(DeployTree.CHART)
                .install()
                .withName(ChartRender.RELEASE)
                .withNamespace(ChartRender.NAMESPACE)
                .clientOnly()
                .dryRun()
                // As helm install --dry-run=client: lookups find nothing instead of asking a cluster.
                .withDryRunOption(DryRun.CLIENT)
                .call()
                .getOutput();
        assertThat(notes)
                .contains("kubectl label node <edge-node> meshgw.io/gateway=true\n")
                .contains("pod-security.kubernetes.io/enforce=privileged")
                .contains("loaded but NOT attached")
                .contains("get secret meshgw-admin")
                .doesNotContain("crds.install=false");
        String withoutCrds = new Helm(DeployTree.CHART)
                .install()
                .withName(ChartRender.RELEASE)
                .withNamespace(ChartRender.NAMESPACE)
                .set("crds.install", "false")
                .clientOnly()
                .dryRun()
                .withDryRunOption(DryRun.CLIENT)
                .call()
                .getOutput();
        assertThat(withoutCrds).contains("kubectl apply --server-side -f deploy/crds/");
    }

    @Test
    void aTemplateErrorFailsTheRender(@TempDir Path tmp) throws IOException {
        Path chart = copyChart(tmp);
        Files.writeString(chart.resolve("templates/broken.yaml"), "value: {{ .Values.no.such.key }}\n");

        assertThatThrownBy(() -> ChartRender.of(chart, Optional.empty(), Map.of()))
                .hasMessageContaining("broken.yaml")
                .hasMessageContaining("nil pointer");
    }

    @Test
    void aTemplateThatRendersAnInvalidObjectFailsTheParse(@TempDir Path tmp) throws IOException {
        Path chart = copyChart(tmp);
        Path daemonSet = chart.resolve("templates/daemonset.yaml");
        Files.writeString(
                daemonSet,
                Files.readString(daemonSet).replace("hostNetwork: true", "hostNetwork: true\n      hostNetwrok: true"));

        assertThatThrownBy(() -> ChartRender.of(chart, Optional.empty(), Map.of()))
                .isInstanceOf(StrictModel.InvalidManifestException.class)
                .hasMessageContaining("DaemonSet meshgw")
                .hasMessageContaining("spec.template.spec.hostNetwrok");
    }

    @Test
    void valuesOutsideTheSchemaFailTheRender() {
        assertThatThrownBy(() -> render(Map.of("datapath.attachMode", "xdp"))).hasMessageContaining("attachMode");
        assertThatThrownBy(() -> render(Map.of("cluster.id", "0"))).hasMessageContaining("cluster.id");
        assertThatThrownBy(() -> render(Map.of("cluster.id", "4096"))).hasMessageContaining("cluster.id");
        assertThat(render(Map.of("cluster.id", "4095")))
                .as("the top of ClusterId's one range")
                .isNotNull();
        assertThatThrownBy(() -> render(Map.of("cluster.name", "East_1"))).hasMessageContaining("cluster.name");
        assertThatThrownBy(() -> render(Map.of("bgp.routerId", "192.0.2.300"))).hasMessageContaining("routerId");
        assertThatThrownBy(() -> render(Map.of("datapath.pinRoot", "/var/lib/meshgw")))
                .hasMessageContaining("pinRoot");
        assertThatThrownBy(() -> render(Map.of("datpath.enabled", "false"))).hasMessageContaining("datpath");
        assertThatThrownBy(() -> render(Map.of("admin.tokenKey", "api/token"))).hasMessageContaining("tokenKey");
        assertThatThrownBy(() -> render(Map.of("admin.existingSecret", "Ops_Token")))
                .hasMessageContaining("existingSecret");
    }

    @Test
    void severalClusterInterfacesReachTheGatewayAsItsCommaList(@TempDir Path tmp) throws IOException {
        Path values = Files.writeString(
                tmp.resolve("values.yaml"),
                "datapath:\n  legacyInterface: bond0\n  clusterInterface: [eth1, vxlan.calico]\n");
        var render = ChartRender.of(DeployTree.CHART, Optional.of(values), Map.of());
        assertThat(gatewayEnv(render).value("MESHGW_DATAPATH_CLUSTER_INTERFACE"))
                .isEqualTo("eth1,vxlan.calico");
        assertThat(gatewayEnv(render).value("MESHGW_DATAPATH_LEGACY_INTERFACE")).isEqualTo("bond0");
        var single = render(Map.of("datapath.legacyInterface", "bond0", "datapath.clusterInterface", "eth1"));
        assertThat(gatewayEnv(single).value("MESHGW_DATAPATH_CLUSTER_INTERFACE"))
                .isEqualTo("eth1");
        Path twice = Files.writeString(
                tmp.resolve("twice.yaml"), "datapath:\n  legacyInterface: bond0\n  clusterInterface: [eth1, eth1]\n");
        assertThatThrownBy(() -> ChartRender.of(DeployTree.CHART, Optional.of(twice), Map.of()))
                .hasMessageContaining("clusterInterface");
    }

    private static Env gatewayEnv(ChartRender render) {
        return Env.of(SecurityPostureTest.gateway(render));
    }

    @Test
    void combinationsTheGatewayWouldRefuseFailTheRender() {
        assertThatThrownBy(() -> render(Map.of("datapath.legacyInterface", "bond0")))
                .hasMessageContaining("must be set together");
        assertThatThrownBy(() -> render(Map.of("mesh.enabled", "true"))).hasMessageContaining("mesh.bootstrapServers");
        assertThatThrownBy(() -> render(
                        Map.of("mesh.enabled", "true", "mesh.bootstrapServers", "k:9093", "mesh.tls.enabled", "true")))
                .hasMessageContaining("mesh.tls.secretName");
        assertThatThrownBy(() -> render(Map.of(
                        "mesh.enabled", "true",
                        "mesh.bootstrapServers", "k:9093",
                        "mesh.tls.secretName", "kafka-ca",
                        "mesh.sasl.secretName", "kafka-login",
                        "mesh.properties.security\\.protocol", "PLAINTEXT")))
                .hasMessageContaining("must not set security.protocol");
    }

    @Test
    void aMeshWithoutTlsOrALoginPerClusterFailsTheRenderUnlessPlaintextIsOptedInto() {
        Map<String, String> secure = Map.of(
                "mesh.enabled", "true",
                "mesh.bootstrapServers", "k:9093",
                "mesh.tls.secretName", "kafka-ca",
                "mesh.sasl.secretName", "kafka-login");
        assertThat(configMap(render(secure), "meshgw-config").getData().get("application.properties"))
                .as("the defaults are TLS and SCRAM")
                .contains("meshgw.mesh.kafka.\"security.protocol\"=SASL_SSL")
                .contains("meshgw.mesh.kafka.\"sasl.mechanism\"=SCRAM-SHA-512");

        for (String off : List.of("mesh.tls.enabled", "mesh.sasl.enabled")) {
            var without = new java.util.HashMap<>(secure);
            without.put(off, "false");
            assertThatThrownBy(() -> render(without))
                    .as(off + "=false")
                    .hasMessageContaining("mesh.insecure.allowPlaintext");
            without.put("mesh.insecure.allowPlaintext", "true");
            assertThat(render(without)).as("opted into").isNotNull();
        }
        var certificateLogin = new java.util.HashMap<>(secure);
        certificateLogin.put("mesh.sasl.enabled", "false");
        certificateLogin.put("mesh.tls.keystoreKey", "client.pem");
        assertThat(configMap(render(certificateLogin), "meshgw-config")
                        .getData()
                        .get("application.properties"))
                .as("a TLS client certificate is a login too")
                .contains("meshgw.mesh.kafka.\"security.protocol\"=SSL");
    }

    static ConfigMap configMap(ChartRender render, String name) {
        return render.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap " + name));
    }

    private static ChartRender render(Map<String, String> set) {
        return ChartRender.of(DeployTree.CHART, Optional.empty(), set);
    }

    private static void assertNamespaced(ChartRender render) {
        for (HasMetadata o : render.objects()) {
            boolean clusterScoped = o instanceof CustomResourceDefinition
                    || o instanceof ClusterRole
                    || o instanceof ClusterRoleBinding
                    || o instanceof ValidatingAdmissionPolicy
                    || o instanceof ValidatingAdmissionPolicyBinding;
            assertThat(o.getMetadata().getNamespace())
                    .as("%s %s", o.getKind(), o.getMetadata().getName())
                    .isEqualTo(clusterScoped ? null : ChartRender.NAMESPACE);
        }
        boolean nodeRole = render.all(DaemonSet.class).size() == 2;
        // The gateway's, and the node role's when it is on.
        assertThat(render.all(ServiceAccount.class)).hasSize(nodeRole ? 2 : 1);
        // The leader-election Lease, the gateway's own DaemonSet and the Secrets, all in the release namespace by
        // default, and the node role's Lease and DaemonSet.
        assertThat(render.all(Role.class)).hasSize(nodeRole ? 4 : 3);
        assertThat(render.all(RoleBinding.class)).hasSize(nodeRole ? 4 : 3);
    }

    private static List<String> kinds(List<HasMetadata> objects) {
        return objects.stream().map(HasMetadata::getKind).toList();
    }

    static Path copyChart(Path into) throws IOException {
        Path target = into.resolve("meshgw");
        try (Stream<Path> files = Files.walk(DeployTree.CHART)) {
            for (Path source : files.toList()) {
                Path dest = target.resolve(DeployTree.CHART.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(source, dest);
                }
            }
        }
        return target;
    }
}
