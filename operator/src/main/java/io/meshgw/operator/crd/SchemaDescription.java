package io.meshgw.operator.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Sets the description of a kind's root schema, which {@code kubectl explain <kind>} prints: the generator takes a
 * property's description from {@code @JsonPropertyDescription}, but the root is no property, and the generator
 * reads no class-level description. Used as {@code @SchemaCustomizer(value = SchemaDescription.class, input =
 * "...")} on the custom resource class.
 */
public final class SchemaDescription implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String description, KubernetesSerialization serialization) {
        schema.setDescription(description);
        return schema;
    }
}
