package io.meshgw.operator.crd;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Bounds the length of the strings of a list property: {@code @SchemaCustomizer(value = ItemMaxLength.class, input =
 * "cidrs=49")} on the class that holds {@code cidrs}. The generator takes {@code @Size} on a property but not on a
 * list's element type, and the API server refuses a CEL rule that walks strings of unbounded length (its cost
 * estimate has no bound), so lists that rules walk need it.
 */
public final class ItemMaxLength implements SchemaCustomizer.Customizer {
    @Override
    public JSONSchemaProps apply(JSONSchemaProps schema, String input, KubernetesSerialization serialization) {
        int eq = input.indexOf('=');
        String property = input.substring(0, eq);
        long maxLength = Long.parseLong(input.substring(eq + 1));
        JSONSchemaProps list =
                schema.getProperties() == null ? null : schema.getProperties().get(property);
        if (list == null || list.getItems() == null || list.getItems().getSchema() == null) {
            throw new IllegalArgumentException("ItemMaxLength: no list property '" + property + "' in " + schema);
        }
        list.getItems().getSchema().setMaxLength(maxLength);
        return schema;
    }
}
