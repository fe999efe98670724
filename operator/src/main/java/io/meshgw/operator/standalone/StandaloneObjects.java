package io.meshgw.operator.standalone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.Crds;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshServiceExport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the objects of standalone mode (no API server) from multi-document YAML: the eight meshgw kinds as the
 * operator's CRD classes, and Services, discovery.k8s.io/v1 EndpointSlices, Secrets and Pods as fabric8's. Unknown
 * fields of the meshgw kinds are errors: with no admission in front, a misspelt field would otherwise be ignored.
 */
public final class StandaloneObjects {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    static {
        List.of(
                        BgpPeer.class,
                        BgpPolicy.class,
                        LegacyVipPool.class,
                        EgressIpPool.class,
                        MeshServiceExport.class,
                        EgressIdentity.class,
                        LegacyService.class,
                        MeshCluster.class)
                .forEach(SERIALIZATION::registerKubernetesResource);
    }

    private StandaloneObjects() {}

    /**
     * @return the objects in document order, ready for {@link SnapshotFromObjects#of} (namespaces normalized as
     *     described there); empty documents (such as between two {@code ---}) are skipped
     * @throws IllegalArgumentException for a document that is not valid YAML, not an object, not of a kind meshgw
     *     reads, does not fit its kind, or repeats an earlier object; the message names the document (counting from 1, empty ones included),
     *     its kind and namespace/name where known, and the reason
     */
    public static List<HasMetadata> parse(String yaml) {
        return parseFile(yaml).objects();
    }

    /**
     * As {@link #parse}, and reads the end document ({@link StandaloneFile#END_KIND}): it must be the last document
     * and count the objects before it, so a file that lost documents at its end or anywhere else does not parse.
     */
    public static StandaloneFile parseFile(String yaml) {
        Objects.requireNonNull(yaml, "yaml");
        var objects = new ArrayList<HasMetadata>();
        boolean ended = false;
        var documentNumbers = new ArrayList<Integer>();
        // Reading from a parser of our own keeps a top-level sequence one document (from a String, Jackson would
        // unwrap it into one value per item).
        try (var parser = YAML.createParser(yaml);
                MappingIterator<JsonNode> documents =
                        YAML.readerFor(JsonNode.class).readValues(parser)) {
            for (int document = 1; ; document++) {
                var node = next(documents, document);
                if (node == null) break;
                if (node.isNull() || node.isMissingNode()) continue;
                if (ended) {
                    throw new IllegalArgumentException("document " + document + ": follows the "
                            + StandaloneFile.END_KIND + " document, which must be the last");
                }
                if (isEnd(node)) {
                    end(node, document, objects.size());
                    ended = true;
                    continue;
                }
                var object = convert(node, document);
                SnapshotFromObjects.check(object, document);
                objects.add(object);
                documentNumbers.add(document);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid YAML: " + reason(e), e);
        }
        SnapshotFromObjects.prepare(objects, documentNumbers::get);
        return new StandaloneFile(objects, ended);
    }

    private static boolean isEnd(JsonNode node) {
        return node.isObject()
                && StandaloneFile.END_KIND.equals(node.path("kind").asText(""));
    }

    /** Checks the end document: meshgw's apiVersion, and the count of the objects before it. */
    private static void end(JsonNode node, int document, int objects) {
        var what = "document " + document + " (" + StandaloneFile.END_KIND + ")";
        var apiVersion = node.path("apiVersion").asText("");
        if (!apiVersion.startsWith(Crds.GROUP + "/")) {
            throw new IllegalArgumentException(what + ": apiVersion must be " + Crds.GROUP + "/<version>");
        }
        var count = node.path("objects");
        if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 0) {
            throw new IllegalArgumentException(what + ": objects must be the number of objects before it");
        }
        if (count.asInt() != objects) {
            throw new IllegalArgumentException(what + ": says " + count.asInt() + " objects precede it, but " + objects
                    + " do: the file lost documents or is half-written");
        }
        var fields = new ArrayList<String>();
        node.fieldNames().forEachRemaining(fields::add);
        fields.removeAll(List.of("apiVersion", "kind", "objects"));
        if (!fields.isEmpty()) {
            throw new IllegalArgumentException(what + ": unknown fields " + fields);
        }
    }

    /** The next document, or null at the end. */
    private static JsonNode next(MappingIterator<JsonNode> documents, int document) {
        try {
            return documents.hasNextValue() ? documents.nextValue() : null;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("document " + document + ": not valid YAML: " + reason(e), e);
        }
    }

    private static HasMetadata convert(JsonNode node, int document) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("document " + document + ": expected a Kubernetes object, found "
                    + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        var kind = node.path("kind").asText("");
        var name = node.path("metadata").path("name").asText("");
        var namespace = node.path("metadata").path("namespace").asText("");
        var what = "document " + document + " (" + (kind.isEmpty() ? "<no kind>" : kind) + " "
                + (namespace.isEmpty() ? "" : namespace + "/") + (name.isEmpty() ? "<no name>" : name) + ")";
        if (kind.isEmpty() || node.path("apiVersion").asText("").isEmpty()) {
            throw new IllegalArgumentException(what + ": apiVersion and kind are required");
        }
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.convertValue(node, KubernetesResource.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + reason(e.getCause() == null ? e : e.getCause()), e);
        }
        if (!(resource instanceof HasMetadata object)) {
            throw new IllegalArgumentException(
                    what + ": a " + kind + " is not an object meshgw reads; list its items as documents");
        }
        return object;
    }

    /** The parser's message without its source excerpt, after the field path or the line where it has one. */
    private static String reason(Throwable e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            var path = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            return path + ": " + oneLine(mapping.getOriginalMessage());
        }
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            var mark = yaml.getProblemMark();
            var context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
            return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + context
                    + oneLine(yaml.getProblem());
        }
        if (e instanceof JsonProcessingException parsing) {
            var location = parsing.getLocation();
            var at = location == null
                    ? ""
                    : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
            return at + oneLine(parsing.getOriginalMessage());
        }
        return oneLine(e.getMessage());
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", " ");
    }
}
