package io.meshgw.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric8 mock API server (CRUD mode) with admission in front of its store: every write of a Service or an
 * EndpointSlice is first put to the policies, as the API server would put it (the new object from the body, the old
 * one from the store, the user from the Impersonate-User header), and a denial is answered with the API server's 403.
 */
final class AdmittedApiServer implements AutoCloseable {
    static final String ADMIN = "kubernetes-admin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern WRITE = Pattern.compile(
            "^/(api/v1|apis/discovery\\.k8s\\.io/v1)/namespaces/([^/]+)/(services|endpointslices)(?:/([^/]+))?$");

    private final KubernetesCrudDispatcher store = new KubernetesCrudDispatcher();
    private final ValidatingAdmission admission;
    private final KubernetesMockServer server;
    private final List<String> admitted = new CopyOnWriteArrayList<>();
    private final List<String> denied = new CopyOnWriteArrayList<>();
    private final List<KubernetesClient> clients = new ArrayList<>();

    AdmittedApiServer(ValidatingAdmission admission) {
        this.admission = admission;
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Admitting(), false);
        server.init();
    }

    /** A client acting as {@code username} (through impersonation, which the API server would check). */
    KubernetesClient client(String username) {
        var config = new ConfigBuilder(server.createClient().getConfiguration());
        if (!username.equals(ADMIN)) config.withImpersonateUsername(username);
        var client = new KubernetesClientBuilder().withConfig(config.build()).build();
        clients.add(client);
        return client;
    }

    /** The admitted writes, as "OPERATION resource namespace/name by user". */
    List<String> admitted() {
        return List.copyOf(admitted);
    }

    /** The denied writes, each with the policy's message. */
    List<String> denied() {
        return List.copyOf(denied);
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        server.destroy();
    }

    private final class Admitting extends Dispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath().replaceFirst("\\?.*", "");
            Matcher m = WRITE.matcher(path);
            String method = request.getMethod();
            if (!m.matches() || method.equals("GET")) return store.dispatch(request);
            String operation = switch (method) {
                case "POST" -> "CREATE";
                case "PUT" -> "UPDATE";
                case "DELETE" -> "DELETE";
                default -> null;
            };
            String username =
                    request.getHeader("Impersonate-User") == null ? ADMIN : request.getHeader("Impersonate-User");
            if (operation == null) {
                // The writer does not patch; admitting a patch would need the patched object.
                denied.add(method + " " + path + " by " + username + ": not implemented here");
                return status(405, "MethodNotAllowed", method + " is not admitted by this test server");
            }
            Map<String, Object> object = operation.equals("DELETE")
                    ? null
                    : parse(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
            Map<String, Object> old = operation.equals("CREATE") ? null : stored(path);
            if (!operation.equals("CREATE") && old == null) return store.dispatch(request); // 404 from the store
            String namespace = m.group(2);
            String resource = m.group(3);
            String name =
                    m.group(4) != null ? m.group(4) : (String) metadata(object).get("name");
            boolean core = m.group(1).equals("api/v1");
            var review = new AdmissionRequest(
                    operation,
                    core ? "" : "discovery.k8s.io",
                    "v1",
                    resource,
                    core ? "Service" : "EndpointSlice",
                    namespace,
                    name,
                    username,
                    object,
                    old,
                    Map.of());
            var decision = admission.admit(review, this::find);
            String what = operation + " " + resource + " " + namespace + "/" + name + " by " + username;
            if (!decision.allowed()) {
                denied.add(what + ": " + decision.message());
                return status(403, "Forbidden", "admission denied the request: " + decision.message());
            }
            admitted.add(what);
            return store.dispatch(request);
        }

        /** The params and namespaces the policies look up, from the store. */
        private List<Map<String, Object>> find(String apiVersion, String kind, String namespace) {
            String group = apiVersion.equals("v1") ? "/api/v1" : "/apis/" + apiVersion;
            String plural = kind.toLowerCase(Locale.ROOT) + "s";
            var response =
                    store.handleGet(group + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural);
            if (response.code() != 200) return List.of();
            @SuppressWarnings("unchecked")
            var items = (List<Map<String, Object>>)
                    parse(response.getBody().readUtf8()).getOrDefault("items", List.of());
            return items;
        }

        private Map<String, Object> stored(String path) {
            var response = store.handleGet(path);
            return response.code() == 200 ? parse(response.getBody().readUtf8()) : null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return (Map<String, Object>) AdmissionRequest.cel(JSON.readValue(json, Map.class));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse status(int code, String reason, String message) {
        Status status = new StatusBuilder()
                .withStatus("Failure")
                .withCode(code)
                .withReason(reason)
                .withMessage(message)
                .build();
        try {
            return new MockResponse().setResponseCode(code).setBody(JSON.writeValueAsString(status));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
