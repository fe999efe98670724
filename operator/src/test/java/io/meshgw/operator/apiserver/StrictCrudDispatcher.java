package io.meshgw.operator.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * fabric8's CRUD dispatcher, holding the two preconditions an API server enforces and the mock does not, so a test
 * fails where the operator would lose a write against a real cluster:
 *
 * <ul>
 *   <li>A replace of the status subresource carries a resourceVersion, and the server refuses it (409) when the
 *       object has moved since. The mock takes the status alone from the body and keeps the stored metadata, so it
 *       wrote a status read before another writer's change over that change.
 *   <li>A JSON patch whose {@code test} fails, or whose path is missing, is refused (422). The mock let the
 *       exception escape and answered nothing, so the client waited for its request timeout.
 *   <li>A Pod list or watch with the field selector {@code spec.nodeName=<node>} (what the node role asks for) gets
 *       the Pods of that node. The mock matches field selectors only on the name and namespace: for any other field
 *       it answered no object at all. Its stored Pods now carry their node name as an attribute to match.
 * </ul>
 *
 * Every write is checked and applied under one lock, so no other write comes between the check and the write.
 */
public final class StrictCrudDispatcher extends KubernetesCrudDispatcher {
    private final Object writes = new Object();

    public StrictCrudDispatcher() {
        NodeNameAttributes.install(this);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        synchronized (writes) {
            return super.handleCreate(request);
        }
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        synchronized (writes) {
            if (isStatus(request.getPath())) {
                var conflict = staleStatus(request);
                if (conflict != null) return conflict;
            }
            return super.handleUpdate(request);
        }
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        synchronized (writes) {
            try {
                return super.handlePatch(request);
            } catch (JsonPatchException e) {
                return status(422, "Invalid", "the JSON patch cannot be applied: " + e.getMessage());
            }
        }
    }

    @Override
    public MockResponse handleDelete(String path) {
        synchronized (writes) {
            return super.handleDelete(path);
        }
    }

    private static boolean isStatus(String path) {
        return path.replaceFirst("\\?.*", "").endsWith("/status");
    }

    /** The refusal of a status replace whose resourceVersion is not the stored object's, or null to go on. */
    private MockResponse staleStatus(RecordedRequest request) {
        var stored = findResource(getKey(request.getPath()));
        if (stored == null) return null; // the dispatcher answers 404
        // getBytes, not getUtf8Body: reading the body would leave the write below nothing to read.
        String sent = resourceVersion(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
        String current = resourceVersion(stored.getValue());
        if (sent == null || sent.isEmpty() || sent.equals(current)) return null;
        return status(
                409,
                "Conflict",
                "Operation cannot be fulfilled: the object has been modified (resourceVersion " + sent + ", stored "
                        + current + "); please apply your changes to the latest version and try again");
    }

    @SuppressWarnings("unchecked")
    private static String resourceVersion(String json) {
        Map<String, Object> object = Serialization.unmarshal(json, Map.class);
        var metadata = (Map<String, Object>) object.get("metadata");
        return metadata == null ? null : (String) metadata.get("resourceVersion");
    }

    /** A Status object, as the API server answers a refused request. */
    private static MockResponse status(int code, String reason, String message) {
        var body = Serialization.asJson(Map.of(
                "apiVersion",
                "v1",
                "kind",
                "Status",
                "status",
                "Failure",
                "reason",
                reason,
                "message",
                message,
                "code",
                code));
        return new MockResponse().setResponseCode(code).setBody(body);
    }
}
