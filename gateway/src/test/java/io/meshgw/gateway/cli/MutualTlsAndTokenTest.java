package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS and the token together, as docs/install.md sets them up "as well as" each other:
 * the certificate opens the port, and the token is still needed for /api/*; health and metrics
 * are on the management listener, in plain HTTP for the kubelet.
 */
@QuarkusTest
@TestProfile(MutualTlsAndTokenTest.MutualTlsAndToken.class)
class MutualTlsAndTokenTest {

    static final TestCertificates PKI = TestCertificates.create();

    public static class MutualTlsAndToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.tls.admin.key-store.pem.0.cert",
                    PKI.serverCert().toString(),
                    "quarkus.tls.admin.key-store.pem.0.key",
                    PKI.serverKey().toString(),
                    "quarkus.tls.admin.trust-store.pem.certs",
                    PKI.ca().toString(),
                    "quarkus.http.tls-configuration-name",
                    "admin",
                    "quarkus.http.ssl.client-auth",
                    "required",
                    "quarkus.http.insecure-requests",
                    "disabled",
                    "quarkus.http.test-ssl-port",
                    "0",
                    "meshgw.admin.token",
                    "s3cret-token");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL root;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private String url() {
        return "https://127.0.0.1:" + root.getPort();
    }

    private CliRun peers(String... more) {
        String[] args = {
            "peers",
            "--url",
            url(),
            "--cacert",
            PKI.ca().toString(),
            "--cert",
            PKI.clientCert().toString(),
            "--key",
            PKI.clientKey().toString()
        };
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliRun.run(all);
    }

    @Test
    void aCertificateWithoutTheTokenIsRefusedByTheApi() {
        CliRun run = peers();

        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        assertThat(run.err()).contains("refused the token").contains("missing bearer token");
    }

    @Test
    void aCertificateAndTheTokenGetAnswers() {
        CliRun run = peers("--token", "s3cret-token", "-o", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().strip()).startsWith("[");
    }

    @Test
    void healthStaysOnThePlainManagementListenerForTheKubelet() throws Exception {
        var tls = ClientTls.context(PKI.ca(), PKI.clientCert(), PKI.clientKey());
        try (HttpClient https = HttpClient.newBuilder().sslContext(tls).build();
                HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> onAdmin = https.send(
                    HttpRequest.newBuilder(URI.create(url() + "/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> onManagement = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.getPort() + "/q/health/live"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(onAdmin.statusCode()).as(onAdmin.body()).isEqualTo(404);
            assertThat(onManagement.statusCode()).as(onManagement.body()).isEqualTo(200);
        }
    }
}
