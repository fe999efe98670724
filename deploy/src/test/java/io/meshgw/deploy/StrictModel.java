package io.meshgw.deploy;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Kubernetes YAML into the fabric8 model classes, strictly. fabric8 is lenient on purpose: an unknown field,
 * or a value of the wrong type, lands in a catch-all {@code additionalProperties} map. The API server is not lenient
 * (kubectl asks for strict field validation), so here the catch-all is switched off, unknown fields fail, and scalars
 * are never coerced ("9180" is not an integer). A failure names the document, the object and the field's path.
 */
final class StrictModel {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization KINDS = new KubernetesSerialization();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("no-catch-all").setDeserializerModifier(new NoAnySetter()))
            .build();

    private StrictModel() {}

    /** Every non-empty document of a multi-document YAML text, as YAML trees. */
    static List<JsonNode> documents(String yaml) {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty()) docs.add(doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    /** Parses every document; fails on the first one that is not a valid object of a known kind. */
    static List<HasMetadata> parseAll(String yaml) {
        List<JsonNode> docs = documents(yaml);
        List<HasMetadata> objects = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            objects.add(parse(docs.get(i), "document " + (i + 1)));
        }
        return objects;
    }

    static HasMetadata parse(JsonNode doc, String where) {
        String what = where + " (" + doc.path("kind").asText("?") + " "
                + doc.path("metadata").path("name").asText("?") + ")";
        Class<? extends KubernetesResource> type = modelClassOf(doc, what);
        try {
            KubernetesResource parsed = STRICT.treeToValue(doc, type);
            if (!(parsed instanceof HasMetadata object)) {
                throw new InvalidManifestException(what + ": " + type.getName() + " is not a top-level object");
            }
            return object;
        } catch (JsonMappingException e) {
            throw new InvalidManifestException(what + ": field " + path(e) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidManifestException(what + ": " + e.getMessage(), e);
        }
    }

    /** The model class registered for the document's apiVersion and kind. */
    private static Class<? extends KubernetesResource> modelClassOf(JsonNode doc, String what) {
        if (!doc.path("apiVersion").isTextual() || !doc.path("kind").isTextual()) {
            throw new InvalidManifestException(what + ": apiVersion and kind must be strings");
        }
        KubernetesResource probe;
        try {
            probe = KINDS.convertValue(doc, KubernetesResource.class);
        } catch (IllegalArgumentException e) {
            throw new InvalidManifestException(what + ": " + e.getMessage(), e);
        }
        if (probe == null || probe instanceof GenericKubernetesResource) {
            throw new InvalidManifestException(
                    what + ": no model class for " + doc.get("apiVersion").asText() + " "
                            + doc.get("kind").asText() + " (a misspelt kind or apiVersion?)");
        }
        return probe.getClass();
    }

    private static String path(JsonMappingException e) {
        var sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(root)" : sb.toString();
    }

    /** Drops the {@code @JsonAnySetter} of fabric8's model classes, so unknown fields fail instead. */
    private static final class NoAnySetter extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(
                DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
            if (description.getBeanClass().getName().startsWith("io.fabric8.")) {
                builder.setAnySetter(null);
            }
            return builder;
        }
    }

    static final class InvalidManifestException extends RuntimeException {
        InvalidManifestException(String message) {
            super(message);
        }

        InvalidManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
