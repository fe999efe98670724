package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart installs the CRDs as templates, so an upgrade upgrades them too (Helm never upgrades a chart's crds/),
 * exactly as the operator generates them, and marks them kept, so an uninstall never deletes the users' objects.
 */
class CrdInstallTest {
    static final String KEEP = "helm.sh/resource-policy";

    @Test
    void theDefaultRenderHasEveryCrdAsGeneratedMarkedKept() {
        Map<String, JsonNode> rendered = crdDocuments(ChartRender.defaults());
        Map<String, JsonNode> generated = new TreeMap<>();
        for (var file : Crds.files(DeployTree.CRDS)) {
            for (JsonNode doc : StrictModel.documents(Crds.read(file))) {
                generated.put(doc.path("metadata").path("name").asText(), doc);
            }
        }
        assertThat(generated).as("CRDs in %s", DeployTree.CRDS).hasSize(8);
        assertThat(rendered.keySet()).isEqualTo(generated.keySet());

        for (var e : generated.entrySet()) {
            JsonNode crd = rendered.get(e.getKey()).deepCopy();
            var metadata = (ObjectNode) crd.path("metadata");
            assertThat(metadata.path("annotations").path(KEEP).asText())
                    .as("%s must survive helm uninstall", e.getKey())
                    .isEqualTo("keep");
            assertThat(metadata.path("labels").path("app.kubernetes.io/part-of").asText())
                    .isEqualTo("meshgw");
            // What the chart adds, and only that, taken away: the rest is the generated CRD, field for field.
            ((ObjectNode) metadata.path("annotations")).remove(KEEP);
            if (metadata.path("annotations").isEmpty()) metadata.remove("annotations");
            metadata.remove("labels");
            assertThat(crd)
                    .as("%s as rendered, without the chart's metadata", e.getKey())
                    .isEqualTo(e.getValue());
        }
        assertThat(ChartRender.defaults().all(CustomResourceDefinition.class))
                .as("valid CRDs")
                .hasSize(8);
    }

    @Test
    void crdsInstallFalseRendersNone() {
        var render = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("crds.install", "false"));
        assertThat(render.all(CustomResourceDefinition.class)).isEmpty();
        assertThat(render.objects()).isNotEmpty();
    }

    @Test
    void theChartHasNoCrdsDirectoryForHelmToInstallOnceAndNeverUpgrade() {
        assertThat(Files.exists(DeployTree.CHART.resolve("crds")))
                .as(
                        "%s: Helm would install it on the first install only, beside the templates' CRDs",
                        DeployTree.CHART.resolve("crds"))
                .isFalse();
        assertThat(Crds.files(DeployTree.CHART_CRDS)).hasSize(8);
    }

    @Test
    void aCrdFileWithoutItsMetadataLineFailsTheRender(@TempDir Path tmp) throws IOException {
        var chart = ChartRenderTest.copyChart(tmp);
        var file = chart.resolve("files/crds/bgppeers.meshgw.io-v1.yml");
        Files.writeString(file, Files.readString(file).replace("\nmetadata:\n", "\nmetadata: \n"));
        assertThatThrownBy(() -> ChartRender.of(chart, Optional.empty(), Map.of()))
                .hasMessageContaining("bgppeers.meshgw.io-v1.yml")
                .hasMessageContaining("metadata:");
    }

    private static Map<String, JsonNode> crdDocuments(ChartRender render) {
        Map<String, JsonNode> out = new TreeMap<>();
        List<JsonNode> docs = StrictModel.documents(render.text());
        docs.stream()
                .filter(d -> d.path("kind").asText().equals("CustomResourceDefinition"))
                .forEach(d -> out.put(d.path("metadata").path("name").asText(), d));
        return out;
    }
}
