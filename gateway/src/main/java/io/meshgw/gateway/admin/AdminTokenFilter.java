package io.meshgw.gateway.admin;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.ApiError;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Bearer-token protection of the admin API ({@code /api/*}). Health and metrics are on the
 * management listener, open to probes and scrapers. Tokens are compared in constant time. The
 * gateway does not start when the API would listen beyond loopback unguarded ({@link AdminExposure}).
 */
@ApplicationScoped
public class AdminTokenFilter {

    private static final Logger LOG = Logger.getLogger(AdminTokenFilter.class);

    private final GatewayConfig config;
    private volatile Optional<byte[]> token = Optional.empty();

    AdminTokenFilter(GatewayConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        start(config.admin(), ConfigProvider.getConfig());
    }

    /**
     * Reads the token, and refuses an admin API that would listen beyond loopback without a token
     * or required client certificates.
     *
     * @throws IllegalStateException naming the settings, which stops the gateway's start
     */
    void start(GatewayConfig.Admin admin, Config quarkus) {
        token = resolve(admin);
        var exposure = new AdminExposure(
                quarkus.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0"),
                token.isPresent(),
                quarkus.getOptionalValue("quarkus.http.ssl.client-auth", String.class)
                        .orElse("none"),
                quarkus.getOptionalValue("quarkus.http.insecure-requests", String.class)
                        .orElse("enabled"));
        exposure.refusal().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
        if (token.isEmpty()) {
            LOG.warnf(
                    "the admin API has no token (meshgw.admin.token or meshgw.admin.token-file): it listens on %s"
                            + " only",
                    exposure.host());
        }
    }

    static Optional<byte[]> resolve(GatewayConfig.Admin admin) {
        if (admin.tokenFile().isPresent()) {
            Path file = Path.of(admin.tokenFile().get());
            try {
                String t = Files.readString(file).strip();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("meshgw.admin.token-file " + file + " is empty");
                }
                return Optional.of(t.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("meshgw.admin.token-file: cannot read " + file, e);
            }
        }
        return admin.token().filter(t -> !t.isBlank()).map(t -> t.strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Every REST resource of the gateway is the admin API (all live under {@code /api/v1}), so
     * every one needs the token: no path prefix is checked, which no spelling of a path
     * ({@code //api}, {@code /api/./v1}) could slip past. Health, metrics and OpenAPI are not
     * REST resources and never come here.
     */
    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        Optional<byte[]> expected = token;
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorized(header, expected.get())) {
            return Optional.empty();
        }
        String why = header == null
                ? "missing bearer token"
                : bearer(header).isEmpty() ? "the Authorization header holds no bearer token" : "wrong bearer token";
        return Optional.of(Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"meshgw\"")
                .type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(why))
                .build());
    }

    /** Whether an Authorization header carries {@code token}. */
    static boolean authorized(String header, byte[] token) {
        byte[] given = Optional.ofNullable(header)
                .flatMap(AdminTokenFilter::bearer)
                .map(t -> t.getBytes(StandardCharsets.UTF_8))
                .orElse(new byte[0]);
        // Constant time: isEqual reads every byte of its first argument whatever the contents,
        // so the time depends on the length sent, never on how much of the token it matched.
        return MessageDigest.isEqual(given, token);
    }

    /** The credentials of {@code Bearer <token>}; the scheme is case-insensitive (RFC 9110 §11.1). */
    static Optional<String> bearer(String header) {
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(h.substring(7).strip())
                : Optional.empty();
    }
}
