package io.meshgw.gateway.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The admin API as canned JSON on 127.0.0.1, a random port: serves {@link CannedJson} for every
 * endpoint unless a test replaces an answer, and remembers what it was asked.
 */
final class FakeGateway implements AutoCloseable {

    /** One request as the gateway saw it. */
    record Request(String pathAndQuery, String authorization) {}

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        answer("/api/v1/bgp/peers", 200, CannedJson.PEERS);
        answer("/api/v1/bgp/routes", 200, CannedJson.ROUTES);
        answer("/api/v1/services", 200, CannedJson.SERVICES);
        answer("/api/v1/datapath/translations", 200, CannedJson.TRANSLATIONS);
        answer("/api/v1/datapath/egress", 200, CannedJson.EGRESS);
        answer("/api/v1/mesh/clusters", 200, CannedJson.CLUSTERS);
        answer("/api/v1/datapath/conntrack", 200, CannedJson.CONNTRACK);
        answer("/api/v1/datapath/counters", 200, CannedJson.COUNTERS);
        answer("/api/v1/explain", 200, CannedJson.EXPLAIN);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Replaces the answer for a path (without the query): JSON, or plain text if it does not look like JSON. */
    FakeGateway answer(String path, int status, String body) {
        String strip = body.strip();
        boolean json = strip.startsWith("{") || strip.startsWith("[");
        return answer(path, status, json ? "application/json" : "text/plain", body);
    }

    FakeGateway answer(String path, int status, String contentType, String body) {
        answers.put(path, new Answer(status, contentType, body));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(
                query == null ? path : path + "?" + query,
                exchange.getRequestHeaders().getFirst("Authorization")));
        Answer a = answers.getOrDefault(path, new Answer(404, "application/json", "{\"error\":\"no such endpoint\"}"));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", a.contentType());
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
