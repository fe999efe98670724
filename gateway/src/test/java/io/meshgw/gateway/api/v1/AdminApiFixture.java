package io.meshgw.gateway.api.v1;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin API's answers for {@link AdminApiLab}, one JSON file per endpoint the CLI reads,
 * under {@code src/test/resources/admin-api}. The CLI's tests are served these files;
 * {@code AdminApiContractTest} checks that the gateway answers exactly them for the lab, so the
 * CLI is tested against what the server says, not against what someone wrote down once.
 *
 * <p>After a deliberate change to what the gateway answers, rewrite them from the gateway with
 * {@code ./mvnw -pl gateway -am verify -Dtest=AdminApiContractTest -Dwrite-admin-api-fixtures=true
 * -Dsurefire.failIfNoSpecifiedTests=false} and read the diff: a renamed or dropped field there
 * breaks every script that reads it.
 */
public enum AdminApiFixture {
    PEERS("peers.json", "/api/v1/bgp/peers", PeerView.class, true),
    ROUTES("routes.json", "/api/v1/bgp/routes", RouteView.class, true),
    SERVICES("services.json", "/api/v1/services", ServiceView.class, true),
    TRANSLATIONS("translations.json", "/api/v1/datapath/translations", TranslationView.class, true),
    EGRESS("egress.json", "/api/v1/datapath/egress", EgressView.class, true),
    CLUSTERS("clusters.json", "/api/v1/mesh/clusters", MeshClusterView.class, true),
    CONNTRACK("conntrack.json", "/api/v1/datapath/conntrack", ConntrackView.class, true),
    COUNTERS("counters.json", "/api/v1/datapath/counters", CounterView.class, true),
    EXPLAIN("explain.json", "/api/v1/explain?address=198.51.100.10:80", Explanation.class, false);

    /** Set to rewrite the files from the gateway instead of comparing. */
    static final boolean WRITING = Boolean.getBoolean("write-admin-api-fixtures");

    private final String file;
    private final String request;
    private final Class<?> type;
    private final boolean list;

    AdminApiFixture(String file, String request, Class<?> type, boolean list) {
        this.file = file;
        this.request = request;
        this.type = type;
        this.list = list;
    }

    /** What the CLI's fake gateway answers on this endpoint. */
    public String json() {
        try (InputStream in = AdminApiFixture.class.getResourceAsStream("/admin-api/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no fixture admin-api/" + file + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The request whose answer the file holds, with its query. */
    public String request() {
        return request;
    }

    /** The api.v1 type of the document, or of each element when {@link #list}. */
    Class<?> type() {
        return type;
    }

    boolean list() {
        return list;
    }

    /** Maven runs the tests in the module's directory. */
    void write(String json) {
        try {
            Path source = Path.of("src/test/resources/admin-api", file);
            Files.createDirectories(source.getParent());
            Files.writeString(source, json.endsWith("\n") ? json : json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
