package io.meshgw.gateway.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin API with mutual TLS, configured through Quarkus' TLS registry as docs/install.md shows: a client
 * certificate from the trusted CA gets in, no certificate or one from another CA does not.
 */
@QuarkusTest
@TestProfile(MutualTlsTest.MutualTls.class)
class MutualTlsTest {

    static final TestCertificates PKI = TestCertificates.create();

    public static class MutualTls implements QuarkusTestProfile {
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
                    "0");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL root;

    private String url() {
        return "https://127.0.0.1:" + root.getPort();
    }

    @Test
    void theCliWithTheCasClientCertificateGetsAnswers() {
        var run = CliRun.run(
                "peers",
                "--url",
                url(),
                "--cacert",
                PKI.ca().toString(),
                "--cert",
                PKI.clientCert().toString(),
                "--key",
                PKI.clientKey().toString(),
                "-o",
                "json");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().strip().startsWith("["), run.out());
    }

    @Test
    void theCliWithoutACertificateIsRefusedAndSaysItWasTls() {
        var run = CliRun.run("peers", "--url", url(), "--cacert", PKI.ca().toString());
        assertEquals(2, run.exit(), run.out());
        assertTrue(run.err().contains("cannot reach the gateway") && run.err().contains("TLS"), run.err());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        var run = CliRun.run(
                "peers",
                "--url",
                url(),
                "--cacert",
                PKI.ca().toString(),
                "--cert",
                PKI.strangerCert().toString(),
                "--key",
                PKI.strangerKey().toString());
        assertEquals(2, run.exit(), run.out());
        assertTrue(run.err().contains("TLS"), run.err());
    }

    @Test
    void keyWithoutCertAndTlsOptionsOnPlainHttpAreUsageErrors() {
        var run = CliRun.run("peers", "--url", url(), "--key", PKI.clientKey().toString());
        assertEquals(64, run.exit());
        assertTrue(run.err().contains("--cert and --key together"), run.err());
        var plain = CliRun.run(
                "peers", "--url", "http://127.0.0.1:1", "--cacert", PKI.ca().toString());
        assertEquals(64, plain.exit());
        assertTrue(plain.err().contains("need an https:// --url"), plain.err());
    }
}
