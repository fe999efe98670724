package io.meshgw.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One write as the API server hands it to admission: who asks, the operation, the resource, and the new and the old
 * object (after defaulting) as plain JSON values. {@code object} is null on DELETE, {@code oldObject} on CREATE.
 * {@code extra} is the user's extra attributes: empty for a token bound to no node, or an API server older than 1.30.
 */
record AdmissionRequest(
        String operation,
        String group,
        String version,
        String resource,
        String kind,
        String namespace,
        String name,
        String username,
        Map<String, Object> object,
        Map<String, Object> oldObject,
        Map<String, List<String>> extra) {

    /** This request from a service account token bound to a pod on {@code node}, as the API server says so. */
    AdmissionRequest boundToNode(String node) {
        return new AdmissionRequest(
                operation,
                group,
                version,
                resource,
                kind,
                namespace,
                name,
                username,
                object,
                oldObject,
                Map.of("authentication.kubernetes.io/node-name", List.of(node)));
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static AdmissionRequest create(String username, HasMetadata object) {
        return of("CREATE", username, object, null, object);
    }

    static AdmissionRequest update(String username, HasMetadata oldObject, HasMetadata object) {
        return of("UPDATE", username, object, oldObject, object);
    }

    static AdmissionRequest delete(String username, HasMetadata oldObject) {
        return of("DELETE", username, null, oldObject, oldObject);
    }

    private static AdmissionRequest of(
            String operation, String username, HasMetadata object, HasMetadata old, HasMetadata any) {
        Class<? extends HasMetadata> type = any.getClass();
        return new AdmissionRequest(
                operation,
                Objects.requireNonNullElse(HasMetadata.getGroup(type), ""),
                HasMetadata.getVersion(type),
                HasMetadata.getPlural(type),
                HasMetadata.getKind(type),
                any.getMetadata().getNamespace(),
                any.getMetadata().getName(),
                username,
                object == null ? null : json(object),
                old == null ? null : json(old),
                Map.of());
    }

    /** The CEL variable {@code request} (admission.k8s.io/v1 AdmissionRequest). */
    Map<String, Object> asCel() {
        var gvk = Map.<String, Object>of("group", group, "version", version, "kind", kind);
        var gvr = Map.<String, Object>of("group", group, "version", version, "resource", resource);
        var request = new LinkedHashMap<String, Object>();
        request.put("kind", gvk);
        request.put("resource", gvr);
        request.put("subResource", "");
        request.put("requestKind", gvk);
        request.put("requestResource", gvr);
        request.put("name", name == null ? "" : name);
        request.put("namespace", namespace == null ? "" : namespace);
        request.put("operation", operation);
        var userInfo = new LinkedHashMap<String, Object>();
        userInfo.put("username", username);
        userInfo.put("groups", List.of("system:authenticated"));
        if (!extra.isEmpty()) userInfo.put("extra", extra);
        request.put("userInfo", userInfo);
        request.put("dryRun", false);
        return request;
    }

    /** An object as the JSON the API server decoded: a map of maps, lists, strings, booleans, longs and doubles. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Object object) {
        return (Map<String, Object>) cel(JSON.convertValue(object, Map.class));
    }

    /**
     * CEL's reserved words, which the API server escapes as {@code __word__} when they name a property of an object
     * (a CRD's field {@code namespace} is {@code object.spec.x.__namespace__} in an expression).
     */
    private static final Set<String> RESERVED = Set.of(
            "true",
            "false",
            "null",
            "in",
            "as",
            "break",
            "const",
            "continue",
            "else",
            "for",
            "function",
            "if",
            "import",
            "let",
            "loop",
            "package",
            "namespace",
            "return",
            "var",
            "void",
            "while");

    /**
     * {@code object} (a map from {@link #json}) with property names that are reserved words escaped as the API server
     * does, at every depth; null stays null. Map-valued fields such as labels are escaped alike, which the API server
     * would not do: no object of the tests carries a label or annotation key that is a reserved word.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> escaped(Map<String, Object> object) {
        return object == null ? null : (Map<String, Object>) escapedValue(object);
    }

    private static Object escapedValue(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, v) -> out.put(RESERVED.contains(k) ? "__" + k + "__" : (String) k, escapedValue(v)));
                yield out;
            }
            case List<?> list ->
                list.stream().map(AdmissionRequest::escapedValue).toList();
            default -> value;
        };
    }

    /** JSON values as CEL sees them: integers are int (Java long), absent and null fields are the same. */
    static Object cel(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                var out = new LinkedHashMap<String, Object>();
                map.forEach((k, v) -> {
                    if (v != null) out.put((String) k, cel(v));
                });
                yield out;
            }
            case List<?> list -> list.stream().map(AdmissionRequest::cel).toList();
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case BigInteger b -> b.longValueExact();
            case Float f -> f.doubleValue();
            case BigDecimal d -> d.doubleValue();
            default -> value;
        };
    }
}
