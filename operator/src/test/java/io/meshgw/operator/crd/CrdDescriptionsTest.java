package io.meshgw.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kubectl explain} prints a field's description and nothing else: every property of every CRD, at every depth
 * (spec, status, nested objects, the objects of arrays and maps), and the kind itself, must have one.
 */
class CrdDescriptionsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "bgppeers",
                "bgppolicies",
                "egressidentities",
                "egressippools",
                "legacyservices",
                "legacyvippools",
                "meshclusters",
                "meshserviceexports"
            })
    void everyFieldIsDescribed(String plural) throws IOException {
        var crd = CommittedCrdsTest.load(plural);
        var root = CommittedCrdsTest.onlyVersion(crd).getSchema().getOpenAPIV3Schema();
        List<String> undescribed = new ArrayList<>();
        if (blank(root.getDescription())) undescribed.add("(the kind)");
        walk(root, "", undescribed);

        assertThat(undescribed)
                .as(
                        "fields of %s without a description (add @JsonPropertyDescription)",
                        crd.getMetadata().getName())
                .isEmpty();
        assertThat(root.getProperties()).containsKeys("spec", "status");
    }

    /** Checks the properties of {@code schema} and everything below them; {@code path} is where schema is. */
    static void walk(JSONSchemaProps schema, String path, List<String> undescribed) {
        if (schema.getProperties() != null) {
            for (var e : schema.getProperties().entrySet()) {
                String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (blank(e.getValue().getDescription())) undescribed.add(at);
                walk(e.getValue(), at, undescribed);
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            walk(schema.getItems().getSchema(), path + "[]", undescribed);
        }
        if (schema.getAdditionalProperties() != null
                && schema.getAdditionalProperties().getSchema() != null) {
            walk(schema.getAdditionalProperties().getSchema(), path + "{}", undescribed);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
