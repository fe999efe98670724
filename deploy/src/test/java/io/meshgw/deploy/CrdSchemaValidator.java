package io.meshgw.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a custom resource against its CRD's structural OpenAPI v3 schema the way the API server's admission does
 * for the keywords meshgw's CRDs use: type, properties and required, additionalProperties, unknown fields (kubectl's
 * strict field validation rejects them), items, enum, pattern, minimum/maximum, length and size limits, nullable,
 * int-or-string, preserve-unknown-fields, defaults (applied first, as the API server applies them before it validates)
 * and CEL rules ({@code x-kubernetes-validations}, {@link SchemaRules}; evaluated on a field whose value broke no other
 * keyword). A schema keyword it does not implement is an error, never skipped, so a richer CRD cannot make this check
 * pass by silence. Each violation names the field's path.
 */
final class CrdSchemaValidator {
    /** One field that breaks the schema. */
    record Violation(String path, String message) {
        /** {@code path: message}; a rule on the object itself has no path, and its message says where. */
        @Override
        public String toString() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final CustomResourceDefinition crd;
    private final Map<String, SchemaRules> rulesByVersion = new HashMap<>();

    /** @throws SchemaRules.InvalidRuleException when a CEL rule of the CRD would not compile on the API server */
    CrdSchemaValidator(CustomResourceDefinition crd) {
        this.crd = crd;
        for (var version : crd.getSpec().getVersions()) {
            rulesByVersion.put(
                    version.getName(),
                    new SchemaRules(
                            crd.getMetadata().getName() + " " + version.getName(),
                            version.getSchema().getOpenAPIV3Schema()));
        }
    }

    /** The CEL rules of every version, compiled. */
    List<SchemaRules.Compiled> rules() {
        List<SchemaRules.Compiled> out = new ArrayList<>();
        rulesByVersion.values().forEach(r -> out.addAll(r.all()));
        return out;
    }

    String group() {
        return crd.getSpec().getGroup();
    }

    String kind() {
        return crd.getSpec().getNames().getKind();
    }

    /** Whether this CRD defines the object's apiVersion group and kind. */
    boolean defines(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        return apiVersion.startsWith(group() + "/")
                && kind().equals(object.path("kind").asText());
    }

    List<Violation> validate(JsonNode input) {
        List<Violation> out = new ArrayList<>();
        JsonNode object = input.deepCopy();
        String apiVersion = object.path("apiVersion").asText();
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        CustomResourceDefinitionVersion served = crd.getSpec().getVersions().stream()
                .filter(v -> v.getName().equals(version) && Boolean.TRUE.equals(v.getServed()))
                .findFirst()
                .orElse(null);
        if (!defines(object) || served == null) {
            out.add(new Violation(
                    "apiVersion",
                    "'" + apiVersion + "' " + object.path("kind").asText() + " is not served by "
                            + crd.getMetadata().getName()));
            return out;
        }
        JsonNode metadata = object.path("metadata");
        if (!metadata.path("name").isTextual() || metadata.path("name").asText().isEmpty()) {
            out.add(new Violation("metadata.name", "required"));
        }
        boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
        if (!namespaced && metadata.has("namespace")) {
            out.add(new Violation("metadata.namespace", kind() + " is cluster-scoped; it has no namespace"));
        }
        JSONSchemaProps root = served.getSchema().getOpenAPIV3Schema();
        SchemaRules rules = rulesByVersion.get(served.getName());
        applyDefaults(root, object);
        // apiVersion, kind and metadata are the API server's, whatever the schema says of them.
        var fields = object.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (ROOT_FIELDS.contains(field)) continue;
            JSONSchemaProps schema =
                    root.getProperties() == null ? null : root.getProperties().get(field);
            if (schema == null) {
                out.add(new Violation(field, "unknown field"));
            } else {
                check(schema, object.get(field), field, rules, out);
            }
        }
        for (String required : nullToEmpty(root.getRequired())) {
            if (!object.has(required)) out.add(new Violation(required, "required"));
        }
        if (out.isEmpty()) out.addAll(rules.evaluate(root, object, ""));
        return out;
    }

    /** Fills in the schema's defaults for absent fields of the objects present, depth first. */
    private static void applyDefaults(JSONSchemaProps schema, JsonNode value) {
        if (value instanceof ObjectNode object) {
            if (schema.getProperties() != null) {
                for (var e : schema.getProperties().entrySet()) {
                    if (!object.has(e.getKey()) && e.getValue().getDefault() != null) {
                        object.set(e.getKey(), e.getValue().getDefault().deepCopy());
                    }
                    if (object.has(e.getKey())) applyDefaults(e.getValue(), object.get(e.getKey()));
                }
            }
            if (schema.getAdditionalProperties() != null
                    && schema.getAdditionalProperties().getSchema() != null) {
                var declared = schema.getProperties() == null ? Map.of() : schema.getProperties();
                object.properties().forEach(e -> {
                    if (!declared.containsKey(e.getKey())) {
                        applyDefaults(schema.getAdditionalProperties().getSchema(), e.getValue());
                    }
                });
            }
        } else if (value instanceof ArrayNode array
                && schema.getItems() != null
                && schema.getItems().getSchema() != null) {
            array.forEach(item -> applyDefaults(schema.getItems().getSchema(), item));
        }
    }

    private void check(JSONSchemaProps schema, JsonNode value, String path, SchemaRules rules, List<Violation> out) {
        int before = out.size();
        checkKeywords(schema, value, path, rules, out);
        // The rules see a value of the declared shape; one that broke a keyword has its violation already.
        if (out.size() == before && !value.isNull()) out.addAll(rules.evaluate(schema, value, path));
    }

    private void checkKeywords(
            JSONSchemaProps schema, JsonNode value, String path, SchemaRules rules, List<Violation> out) {
        refuseUnsupported(schema, path);
        if (value.isNull()) {
            if (!Boolean.TRUE.equals(schema.getNullable())) out.add(new Violation(path, "must not be null"));
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!value.isTextual() && !isInteger(value)) {
                out.add(new Violation(path, "must be an integer or a string, not " + describe(value)));
            }
            return;
        }
        String type = schema.getType();
        if (type != null && !hasType(value, type)) {
            out.add(new Violation(path, "must be of type " + type + ", not " + describe(value)));
            return;
        }
        if (schema.getEnum() != null
                && !schema.getEnum().isEmpty()
                && !schema.getEnum().contains(value)) {
            out.add(new Violation(path, describe(value) + " is not one of " + schema.getEnum()));
        }
        switch (value.getNodeType()) {
            case STRING -> checkString(schema, value.asText(), path, out);
            case NUMBER -> checkNumber(schema, value.decimalValue(), path, out);
            case ARRAY -> checkArray(schema, value, path, rules, out);
            case OBJECT -> checkObject(schema, value, path, rules, out);
            default -> {}
        }
    }

    private static void checkString(JSONSchemaProps schema, String s, String path, List<Violation> out) {
        if (schema.getPattern() != null
                && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
            out.add(new Violation(path, "'" + s + "' does not match " + schema.getPattern()));
        }
        int length = s.codePointCount(0, s.length());
        if (schema.getMinLength() != null && length < schema.getMinLength()) {
            out.add(new Violation(path, "shorter than " + schema.getMinLength() + " characters"));
        }
        if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
            out.add(new Violation(path, "longer than " + schema.getMaxLength() + " characters"));
        }
    }

    private static void checkNumber(JSONSchemaProps schema, BigDecimal n, String path, List<Violation> out) {
        if (schema.getMinimum() != null) {
            BigDecimal min = BigDecimal.valueOf(schema.getMinimum());
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMinimum());
            int c = n.compareTo(min);
            if (c < 0 || (exclusive && c == 0)) {
                out.add(new Violation(
                        path,
                        n.toPlainString() + " is below the minimum " + plain(min) + (exclusive ? " (exclusive)" : "")));
            }
        }
        if (schema.getMaximum() != null) {
            BigDecimal max = BigDecimal.valueOf(schema.getMaximum());
            boolean exclusive = Boolean.TRUE.equals(schema.getExclusiveMaximum());
            int c = n.compareTo(max);
            if (c > 0 || (exclusive && c == 0)) {
                out.add(new Violation(
                        path,
                        n.toPlainString() + " is above the maximum " + plain(max) + (exclusive ? " (exclusive)" : "")));
            }
        }
        if (schema.getMultipleOf() != null
                && n.remainder(BigDecimal.valueOf(schema.getMultipleOf())).signum() != 0) {
            out.add(new Violation(path, n.toPlainString() + " is not a multiple of " + schema.getMultipleOf()));
        }
    }

    private void checkArray(
            JSONSchemaProps schema, JsonNode array, String path, SchemaRules rules, List<Violation> out) {
        if (schema.getMinItems() != null && array.size() < schema.getMinItems()) {
            out.add(new Violation(path, "fewer than " + schema.getMinItems() + " items"));
        }
        if (schema.getMaxItems() != null && array.size() > schema.getMaxItems()) {
            out.add(new Violation(path, "more than " + schema.getMaxItems() + " items"));
        }
        if (Boolean.TRUE.equals(schema.getUniqueItems())) {
            Set<JsonNode> seen = new HashSet<>();
            for (int i = 0; i < array.size(); i++) {
                if (!seen.add(array.get(i))) out.add(new Violation(path + "[" + i + "]", "duplicate item"));
            }
        }
        JSONSchemaProps items =
                schema.getItems() == null ? null : schema.getItems().getSchema();
        if (items == null) {
            if (schema.getItems() != null) {
                throw new UnsupportedSchemaException(path, "tuple items (a list of schemas)");
            }
            return;
        }
        for (int i = 0; i < array.size(); i++) {
            check(items, array.get(i), path + "[" + i + "]", rules, out);
        }
    }

    private void checkObject(
            JSONSchemaProps schema, JsonNode object, String path, SchemaRules rules, List<Violation> out) {
        if (schema.getMinProperties() != null && object.size() < schema.getMinProperties()) {
            out.add(new Violation(path, "fewer than " + schema.getMinProperties() + " fields"));
        }
        if (schema.getMaxProperties() != null && object.size() > schema.getMaxProperties()) {
            out.add(new Violation(path, "more than " + schema.getMaxProperties() + " fields"));
        }
        for (String required : nullToEmpty(schema.getRequired())) {
            if (!object.has(required)) out.add(new Violation(path + "." + required, "required"));
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
        JSONSchemaProps additional = null;
        boolean additionalAllowed = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields());
        if (schema.getAdditionalProperties() != null) {
            additional = schema.getAdditionalProperties().getSchema();
            if (additional == null)
                additionalAllowed |=
                        Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows());
        }
        var fields = object.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String fieldPath = path + "." + field.getKey();
            JSONSchemaProps declared = properties.get(field.getKey());
            if (declared != null) {
                check(declared, field.getValue(), fieldPath, rules, out);
            } else if (additional != null) {
                check(additional, field.getValue(), fieldPath, rules, out);
            } else if (!additionalAllowed) {
                out.add(new Violation(fieldPath, "unknown field"));
            }
        }
    }

    private static void refuseUnsupported(JSONSchemaProps s, String path) {
        if (notEmpty(s.getAllOf()) || notEmpty(s.getAnyOf()) || notEmpty(s.getOneOf()) || s.getNot() != null) {
            throw new UnsupportedSchemaException(path, "allOf/anyOf/oneOf/not");
        }
        if (s.getFormat() != null) throw new UnsupportedSchemaException(path, "format " + s.getFormat());
        if (s.getXKubernetesListType() != null || notEmpty(s.getXKubernetesListMapKeys())) {
            throw new UnsupportedSchemaException(path, "x-kubernetes-list-type/map-keys");
        }
        if (Boolean.TRUE.equals(s.getXKubernetesEmbeddedResource())) {
            throw new UnsupportedSchemaException(path, "x-kubernetes-embedded-resource");
        }
        if (s.getDependencies() != null && !s.getDependencies().isEmpty()) {
            throw new UnsupportedSchemaException(path, "dependencies");
        }
        if (s.getPatternProperties() != null && !s.getPatternProperties().isEmpty()) {
            throw new UnsupportedSchemaException(path, "patternProperties");
        }
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "integer" -> isInteger(v);
            case "number" -> v.isNumber();
            default -> throw new IllegalStateException("unknown schema type " + type);
        };
    }

    /** JSON has one number type; like the API server, 3 and 3.0 are both integers. */
    private static boolean isInteger(JsonNode v) {
        if (v.isIntegralNumber()) return true;
        if (!v.isNumber()) return false;
        BigDecimal d = v.decimalValue();
        return d.signum() == 0 || d.scale() <= 0 || d.stripTrailingZeros().scale() <= 0;
    }

    private static String describe(JsonNode v) {
        return switch (v.getNodeType()) {
            case STRING -> "string '" + v.asText() + "'";
            case NUMBER -> "number " + v.asText();
            case BOOLEAN -> "boolean " + v.asText();
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> v.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }

    private static List<String> nullToEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    /** The CRD uses a schema keyword this validator does not implement; extend it rather than skip. */
    static final class UnsupportedSchemaException extends RuntimeException {
        UnsupportedSchemaException(String path, String keyword) {
            super("schema at " + path + " uses " + keyword + ", which CrdSchemaValidator does not check yet");
        }
    }
}
