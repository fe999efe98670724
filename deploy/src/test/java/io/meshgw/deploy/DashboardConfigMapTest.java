package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard reaches Grafana's sidecar as a ConfigMap with the sidecar's label, when asked for. */
class DashboardConfigMapTest {

    @Test
    void offByDefault() {
        assertThat(ChartRender.defaults().all(ConfigMap.class))
                .noneMatch(c -> c.getMetadata().getName().endsWith("-dashboard"));
    }

    @Test
    void theConfigMapHoldsTheDashboardUnderTheSidecarsLabel() throws IOException {
        var dashboard = dashboard(render(Map.of("dashboard.enabled", "true")));

        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        assertThat(dashboard.getMetadata().getLabels())
                .containsEntry("grafana_dashboard", "1")
                .containsEntry("app.kubernetes.io/part-of", "meshgw");
        assertThat(dashboard.getData()).containsOnlyKeys("meshgw-dashboard.json");
        assertThat(dashboard.getData().get("meshgw-dashboard.json"))
                .as("the dashboard, as deploy/grafana has it")
                .isEqualTo(Files.readString(DeployTree.DASHBOARD).strip());
    }

    @Test
    void namespaceLabelsAndAnnotationsAreValues() {
        var dashboard = dashboard(render(Map.of(
                "dashboard.enabled", "true",
                "dashboard.namespace", "monitoring",
                "dashboard.labels.grafana_dashboard", "null",
                "dashboard.labels.dashboards", "meshgw",
                "dashboard.annotations.grafana_folder", "Network")));

        assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
        assertThat(dashboard.getMetadata().getLabels())
                .containsEntry("dashboards", "meshgw")
                .doesNotContainKey("grafana_dashboard");
        assertThat(dashboard.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Network");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> render(Map.of("dashboard.enabled", "true", "dashboard.namespace", "Monitoring")))
                .hasMessageContaining("dashboard.namespace");
        assertThatThrownBy(() -> render(Map.of("dashboard.enabled", "yes"))).hasMessageContaining("dashboard.enabled");
    }

    private static ChartRender render(Map<String, String> set) {
        return ChartRender.of(DeployTree.CHART, Optional.empty(), set);
    }

    private static ConfigMap dashboard(ChartRender render) {
        return ChartRenderTest.configMap(render, "meshgw-dashboard");
    }
}
