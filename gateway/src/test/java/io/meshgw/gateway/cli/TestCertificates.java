package io.meshgw.gateway.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PKI made with the openssl command: a CA, the gateway's server certificate for 127.0.0.1, a client
 * certificate the CA signed, and a client certificate from a second, untrusted CA. EC P-256, PKCS#8 keys.
 */
record TestCertificates(Path dir) {

    Path ca() {
        return dir.resolve("ca.crt");
    }

    Path serverCert() {
        return dir.resolve("server.crt");
    }

    Path serverKey() {
        return dir.resolve("server.key");
    }

    Path clientCert() {
        return dir.resolve("client.crt");
    }

    Path clientKey() {
        return dir.resolve("client.key");
    }

    Path strangerCert() {
        return dir.resolve("stranger.crt");
    }

    Path strangerKey() {
        return dir.resolve("stranger.key");
    }

    static TestCertificates create() {
        try {
            Path dir = Files.createTempDirectory("meshgw-pki");
            var pki = new TestCertificates(dir);
            pki.selfSigned("ca", "meshgw test CA");
            pki.selfSigned("otherca", "someone else's CA");
            pki.signed("server", "ca", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            pki.signed("client", "ca", "noc-operator", "extendedKeyUsage=clientAuth");
            pki.signed("stranger", "otherca", "noc-operator", "extendedKeyUsage=clientAuth");
            return pki;
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the test PKI", e);
        }
    }

    private void selfSigned(String name, String cn) {
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + cn,
                "-keyout",
                name + ".key",
                "-out",
                name + ".crt");
    }

    private void signed(String name, String ca, String cn, String extension) throws IOException {
        Files.writeString(dir.resolve(name + ".ext"), extension + "\n");
        openssl(
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-subj",
                "/CN=" + cn,
                "-keyout",
                name + ".key",
                "-out",
                name + ".csr");
        openssl(
                "x509",
                "-req",
                "-in",
                name + ".csr",
                "-CA",
                ca + ".crt",
                "-CAkey",
                ca + ".key",
                "-CAcreateserial",
                "-days",
                "2",
                "-out",
                name + ".crt",
                "-extfile",
                name + ".ext");
    }

    private void openssl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        try {
            var pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
