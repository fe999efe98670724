package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every failure says what happened and what to do, on stderr, with its own exit code. */
class ErrorsTest {

    private FakeGateway gateway;

    @BeforeEach
    void start() throws IOException {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void unreachableGateway() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort(); // free, and nobody listens once closed
        }
        String url = "http://127.0.0.1:" + closed;

        CliRun run = CliRun.run("peers", "--url", url);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("meshgw: cannot reach the gateway at " + url
                        + ": connection refused (is it running? set --url or MESHGW_URL)\n");
    }

    @Test
    void refusedToken() {
        gateway.answer("/api/v1/bgp/peers", 401, "{\"error\":\"wrong bearer token\"}");

        CliRun run = CliRun.run("peers", "--token", "wrong", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("meshgw: the gateway refused the token (set --token or MESHGW_TOKEN): wrong bearer token\n");
    }

    @Test
    void serverErrorShowsStatusAndTheErrorField() {
        gateway.answer("/api/v1/mesh/clusters", 500, "{\"error\":\"mesh-sync is not started\"}");

        CliRun run = CliRun.run("clusters", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("meshgw: GET /api/v1/mesh/clusters failed: HTTP 500 Internal Server Error:"
                        + " mesh-sync is not started\n");
    }

    @Test
    void anErrorWithoutJsonShowsTheBodysFirstLineAndNoQuery() {
        gateway.answer("/api/v1/datapath/conntrack", 503, "datapath not attached\nmore detail");

        CliRun run = CliRun.run("conntrack", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err())
                .isEqualTo("meshgw: GET /api/v1/datapath/conntrack failed: HTTP 503 Service Unavailable:"
                        + " datapath not attached\n");
    }

    @Test
    void anHtmlErrorPageIsNotQuoted() {
        gateway.answer("/api/v1/bgp/routes", 502, "text/html", "<!DOCTYPE html>\n<html>bad gateway</html>");

        CliRun run = CliRun.run("routes", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err()).isEqualTo("meshgw: GET /api/v1/bgp/routes failed: HTTP 502 Bad Gateway\n");
    }

    @Test
    void aMissingEndpointHintsAtAnOlderGateway() {
        gateway.answer("/api/v1/services", 404, "");

        CliRun run = CliRun.run("services", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.err())
                .isEqualTo("meshgw: GET /api/v1/services failed: HTTP 404 Not Found"
                        + " (is the gateway older than this meshgw?)\n");
    }

    @Test
    void anAnswerThatIsNotJson() {
        gateway.answer("/api/v1/datapath/counters", 200, "<html>login</html>");

        CliRun run = CliRun.run("counters", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.err())
                .startsWith("meshgw: GET /api/v1/datapath/counters answered HTTP 200 with something"
                        + " that is not JSON: <html>login</html>");
    }

    @Test
    void jsonOfTheWrongShape() {
        gateway.answer("/api/v1/bgp/peers", 200, "{\"peers\": []}");

        CliRun run = CliRun.run("peers", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.err())
                .startsWith("meshgw: GET /api/v1/bgp/peers answered JSON this meshgw does not understand"
                        + " (expected a JSON array, got object)");
    }

    @Test
    void noCommandShowsTheUsage() {
        CliRun run = CliRun.run();

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err())
                .startsWith("meshgw: missing command\nUsage: meshgw ")
                .contains("Commands:", "peers");
    }

    @Test
    void aTypoGetsASuggestion() {
        CliRun run = CliRun.run("peer");

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).contains("Unmatched argument at index 0: 'peer'").contains("peers");
    }

    @Test
    void helpAndVersionAreNotErrors() {
        assertThat(CliRun.run("--help").exit()).isZero();
        assertThat(CliRun.run("help", "routes").out()).startsWith("Usage: meshgw routes");
        assertThat(CliRun.run("routes", "-h").out()).contains("--peer=NAME");
        CliRun version = CliRun.run("peers", "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("meshgw ");
    }
}
