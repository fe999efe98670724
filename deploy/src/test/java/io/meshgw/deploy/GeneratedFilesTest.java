package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The committed copies that are generated from something else must be current: the chart's {@code files/crds/} (from
 * deploy/crds, which the operator build writes), its {@code files/grafana/} (from deploy/grafana) and
 * manifests/meshgw.yaml (the chart rendered). With
 * {@code -Dmeshgw.deploy.update=true} they are rewritten instead, like the operator's CrdFreshnessTest does.
 */
class GeneratedFilesTest {
    /**
     * The values the plain manifests change: a random token in a public file would be no secret, and the CRDs come
     * first, as deploy/crds has them, without the chart's Helm-only annotation.
     */
    static final Map<String, String> MANIFEST_VALUES =
            Map.of("admin.existingSecret", "meshgw-admin", "crds.install", "false");

    static final String MANIFEST_HEADER = """
            # meshgw plain manifests: the Helm chart deploy/helm/meshgw rendered with its default values
            # (release "meshgw", namespace "meshgw-system") except admin.existingSecret=meshgw-admin and
            # crds.install=false, after the namespace and the CRDs of deploy/crds. Generated: do not edit;
            # change the chart and refresh with
            #   %s
            #
            # Install:
            #   kubectl apply --server-side -f deploy/manifests/meshgw.yaml
            #   kubectl -n meshgw-system create secret generic meshgw-admin \\
            #     --from-literal=token="$(head -c 32 /dev/urandom | base64)"
            #   kubectl label node <edge-node> meshgw.io/gateway=true
            # The gateway pods wait for the Secret. Edit the DaemonSet's MESHGW_* variables for your
            # cluster id and name, BGP AS and interfaces, or better, install the chart with your values.
            """.formatted(DeployTree.REFRESH);

    static final String NAMESPACE = """
            ---
            # The gateway needs host networking, the host's bpffs and capabilities: Pod Security "privileged".
            apiVersion: v1
            kind: Namespace
            metadata:
              name: meshgw-system
              labels:
                pod-security.kubernetes.io/enforce: privileged
                pod-security.kubernetes.io/warn: privileged
            """;

    @Test
    void chartCrdsAreTheOperatorsCrds() throws IOException {
        List<String> source = names(DeployTree.CRDS);
        assertThat(source).as("CRDs in %s", DeployTree.CRDS).hasSize(8);
        if (DeployTree.UPDATE) {
            Files.createDirectories(DeployTree.CHART_CRDS);
            for (String stale : names(DeployTree.CHART_CRDS)) {
                if (!source.contains(stale)) Files.delete(DeployTree.CHART_CRDS.resolve(stale));
            }
            for (String name : source) {
                Files.copy(
                        DeployTree.CRDS.resolve(name),
                        DeployTree.CHART_CRDS.resolve(name),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
        assertThat(names(DeployTree.CHART_CRDS))
                .as(
                        "CRD files in %s differ from %s; refresh with: %s",
                        DeployTree.CHART_CRDS, DeployTree.CRDS, DeployTree.REFRESH)
                .isEqualTo(source);
        for (String name : source) {
            assertThat(Files.readString(DeployTree.CHART_CRDS.resolve(name)))
                    .as("%s is stale; refresh with: %s", DeployTree.CHART_CRDS.resolve(name), DeployTree.REFRESH)
                    .isEqualTo(Files.readString(DeployTree.CRDS.resolve(name)));
        }
    }

    @Test
    void chartDashboardIsTheDashboard() throws IOException {
        if (DeployTree.UPDATE) {
            Files.createDirectories(DeployTree.CHART_DASHBOARD.getParent());
            Files.copy(DeployTree.DASHBOARD, DeployTree.CHART_DASHBOARD, StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(Files.exists(DeployTree.CHART_DASHBOARD))
                .as("%s is missing; create it with: %s", DeployTree.CHART_DASHBOARD, DeployTree.REFRESH)
                .isTrue();
        assertThat(Files.readString(DeployTree.CHART_DASHBOARD))
                .as("%s is stale; refresh with: %s", DeployTree.CHART_DASHBOARD, DeployTree.REFRESH)
                .isEqualTo(Files.readString(DeployTree.DASHBOARD));
    }

    @Test
    void plainManifestsAreTheChartRendered() throws IOException {
        String expected = renderManifests();
        if (DeployTree.UPDATE) {
            Files.createDirectories(DeployTree.MANIFESTS.getParent());
            Files.writeString(DeployTree.MANIFESTS, expected);
        }
        assertThat(Files.exists(DeployTree.MANIFESTS))
                .as("%s is missing; create it with: %s", DeployTree.MANIFESTS, DeployTree.REFRESH)
                .isTrue();
        assertThat(Files.readString(DeployTree.MANIFESTS))
                .as(
                        "%s is stale (the chart or the CRDs changed); refresh with: %s",
                        DeployTree.MANIFESTS, DeployTree.REFRESH)
                .isEqualTo(expected);
    }

    @Test
    void plainManifestsInstallEverythingTheGatewayNeeds() throws IOException {
        var objects = StrictModel.parseAll(Files.readString(DeployTree.MANIFESTS));

        assertThat(objects.getFirst()).isInstanceOf(Namespace.class);
        assertThat(objects.getFirst().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged");
        assertThat(objects.stream()
                        .filter(CustomResourceDefinition.class::isInstance)
                        .map(o -> o.getMetadata().getName()))
                .as("every CRD, before anything that uses them")
                .hasSize(8)
                .allMatch(n -> n.endsWith(".meshgw.io"));
        var daemonSet = objects.stream()
                .filter(DaemonSet.class::isInstance)
                .map(DaemonSet.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName())
                .containsExactly("meshgw-admin");
        assertThat(objects).noneMatch(Secret.class::isInstance);
        assertThat(objects)
                .filteredOn(o -> o.getMetadata().getNamespace() != null)
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE));
    }

    /**
     * Header, namespace, the CRDs (the source copies, so the result does not depend on which test refreshes first;
     * the chart is rendered without its own), the chart.
     */
    static String renderManifests() {
        var out = new StringBuilder(MANIFEST_HEADER).append(NAMESPACE);
        for (Path crd : Crds.files(DeployTree.CRDS)) {
            out.append("---\n# Source: meshgw/crds/")
                    .append(crd.getFileName())
                    .append('\n')
                    .append(Crds.read(crd).stripTrailing())
                    .append('\n');
        }
        String chart = ChartRender.template(DeployTree.CHART, Optional.empty(), MANIFEST_VALUES);
        out.append(chart.stripLeading().stripTrailing()).append('\n');
        return out.toString();
    }

    private static List<String> names(Path dir) {
        return Crds.files(dir).stream().map(p -> p.getFileName().toString()).toList();
    }
}
