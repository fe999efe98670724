package io.meshgw.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.StrictMockServer;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's Kubernetes API server: fabric8's mock server in CRUD mode (objects are stored, listed, watched and their
 * status written as a real API server would, with its preconditions on writes: {@link StrictMockServer}), listening on a host address the gateways' namespaces reach. No real
 * API server can run here; this one speaks the same HTTP API to the gateway's own client.
 */
public final class LabApiServer implements AutoCloseable {

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final String url;
    /** What the last {@link #apply} created, so the next one deletes what it no longer has. */
    private Map<String, HasMetadata> applied = new LinkedHashMap<>();

    private LabApiServer(KubernetesMockServer server, String url) {
        this.server = server;
        this.url = url;
        this.client = server.createClient();
    }

    /** Starts listening on {@code host} (a free port). */
    public static LabApiServer start(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + host, e);
        }
        var server = StrictMockServer.start(address);
        return new LabApiServer(server, "http://" + host + ":" + server.getPort());
    }

    /** The URL a gateway's client is given ({@code kubernetes.master}). */
    public String url() {
        return url;
    }

    /** A client of this server, for a scenario to read status or change objects as a user would. */
    public KubernetesClient client() {
        return client;
    }

    /** Creates the objects of {@code yaml} once (the CRDs, before anything uses them). */
    public void create(String yaml) {
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items()
                .forEach(o -> client.resource(o).create());
    }

    /**
     * Makes the server hold exactly these objects (multi-document YAML) of the ones applied before: new ones are
     * created, changed ones updated, and the ones the documents no longer name deleted.
     */
    public synchronized void apply(String yaml) {
        List<HasMetadata> items = client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))
                .items();
        Map<String, HasMetadata> next = new LinkedHashMap<>();
        for (HasMetadata item : items) {
            item.getMetadata().setCreationTimestamp(null);
            next.put(key(item), item);
        }
        for (var e : applied.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                client.resource(e.getValue()).delete();
            }
        }
        for (HasMetadata item : next.values()) {
            client.resource(item).createOr(NonDeletingOperation::update);
        }
        applied = next;
    }

    private static String key(HasMetadata o) {
        return o.getApiVersion() + "/" + o.getKind() + "/" + o.getMetadata().getNamespace() + "/"
                + o.getMetadata().getName();
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
