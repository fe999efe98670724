package io.meshgw.gateway.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The CLI's side of mutual TLS, from PEM files as curl and kubectl take them: {@code --cacert} to trust the
 * gateway, {@code --cert}/{@code --key} to prove who we are.
 */
final class ClientTls {

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    private ClientTls() {}

    /**
     * @param caCert trusted CA certificates; null trusts the JDK's default CAs
     * @param cert our certificate chain, or null for no client certificate
     * @param key the PKCS#8 private key of {@code cert}
     */
    static SSLContext context(Path caCert, Path cert, Path key) {
        if ((cert == null) != (key == null)) {
            throw new CommandFailure(ExitCode.USAGE, "give --cert and --key together");
        }
        try {
            TrustManagerFactory trust = null;
            if (caCert != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate c : certificates(caCert, "--cacert")) store.setCertificateEntry("ca" + i++, c);
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
            }
            KeyManagerFactory keys = null;
            if (cert != null) {
                List<Certificate> chain = certificates(cert, "--cert");
                PrivateKey privateKey =
                        privateKey(key, chain.getFirst().getPublicKey().getAlgorithm());
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] none = new char[0];
                store.setKeyEntry("client", privateKey, none, chain.toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, none);
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(
                    keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return tls;
        } catch (IOException | GeneralSecurityException e) {
            throw new CommandFailure(ExitCode.USAGE, "cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String option) {
        var blocks = blocks(file, option);
        var out = new ArrayList<Certificate>();
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (var b : blocks) {
                if (b.type.equals("CERTIFICATE")) {
                    out.add(x509.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new CommandFailure(
                    ExitCode.USAGE, option + " " + file + ": not a valid X.509 certificate: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new CommandFailure(ExitCode.USAGE, option + " " + file + " holds no PEM CERTIFICATE block");
        }
        return out;
    }

    private static PrivateKey privateKey(Path file, String algorithm) {
        for (var b : blocks(file, "--key")) {
            switch (b.type) {
                case "PRIVATE KEY" -> {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(b.der));
                    } catch (GeneralSecurityException e) {
                        throw new CommandFailure(
                                ExitCode.USAGE,
                                "--key " + file + ": not a " + algorithm + " key matching --cert: " + e.getMessage(),
                                e);
                    }
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY" ->
                    throw new CommandFailure(
                            ExitCode.USAGE,
                            "--key " + file + " is a " + b.type + "; give an unencrypted PKCS#8 key"
                                    + " (openssl pkcs8 -topk8 -nocrypt -in " + file + ")");
                default -> {
                    // e.g. EC PARAMETERS before the key
                }
            }
        }
        throw new CommandFailure(ExitCode.USAGE, "--key " + file + " holds no PEM PRIVATE KEY block");
    }

    private record Block(String type, byte[] der) {}

    private static List<Block> blocks(Path file, String option) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.USAGE, "cannot read " + option + " " + file + ": " + e.getMessage(), e);
        }
        var out = new ArrayList<Block>();
        var m = PEM_BLOCK.matcher(text);
        while (m.find()) {
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(
                        ExitCode.USAGE, option + " " + file + ": a " + m.group(1) + " block is not base64");
            }
        }
        return out;
    }
}
