package io.meshgw.gateway.cli;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshgw.gateway.api.v1.ApiError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;

/**
 * GETs from the gateway's admin API ({@code /api/v1/...}), with the bearer token when there is
 * one. Every way a call can fail becomes a {@link CommandFailure} that says what to do about it.
 */
final class AdminClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final Map<Integer, String> REASONS = Map.of(
            400, "Bad Request",
            403, "Forbidden",
            404, "Not Found",
            405, "Method Not Allowed",
            500, "Internal Server Error",
            502, "Bad Gateway",
            503, "Service Unavailable",
            504, "Gateway Timeout");

    private final String base;
    private final Optional<String> token;
    private final ObjectMapper json;
    private final HttpClient http;

    /**
     * @param base the gateway, e.g. {@code http://127.0.0.1:9180}, without a trailing slash
     * @param tls for https://: the CA to trust and the client certificate; empty uses the JDK's defaults */
    AdminClient(String base, Optional<String> token, Optional<SSLContext> tls, ObjectMapper json) {
        this.base = base;
        this.token = token;
        this.json = json;
        // HTTP/1.1: no h2c upgrade dance with a plain-HTTP admin port.
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (base.startsWith("http://")) {
            builder.sslContext(noTls());
        } else {
            tls.ifPresent(builder::sslContext);
        }
        this.http = builder.build();
    }

    /**
     * The client builds the default TLS context (reading the whole CA store) even for plain HTTP;
     * for an http:// URL a context that trusts nothing does, and saves a good part of start-up.
     */
    private static SSLContext noTls() {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(new KeyManager[0], new TrustManager[0], null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS implementation", e);
        }
    }

    /** The parsed JSON body of {@code GET <base><pathAndQuery>}. */
    JsonNode get(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("User-Agent", "meshgw-cli");
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CommandFailure(
                    ExitCode.UNREACHABLE,
                    "cannot reach the gateway at " + base + ": " + reason(e)
                            + " (is it running? set --url or MESHGW_URL)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(ExitCode.UNREACHABLE, "interrupted while waiting for the gateway", e);
        }
        return body(pathAndQuery, response);
    }

    private JsonNode body(String pathAndQuery, HttpResponse<String> response) {
        int status = response.statusCode();
        String body = response.body();
        if (status == 401) {
            String why = errorField(body).map(e -> ": " + e).orElse("");
            throw new CommandFailure(
                    ExitCode.TOKEN_REFUSED, "the gateway refused the token (set --token or MESHGW_TOKEN)" + why);
        }
        if (status < 200 || status > 299) {
            String path = pathAndQuery.split("\\?", 2)[0];
            String reason = REASONS.containsKey(status) ? " " + REASONS.get(status) : "";
            String detail = errorField(body)
                    .or(() -> isPlainText(response) ? firstLine(body) : Optional.empty())
                    .map(e -> ": " + e)
                    .orElse("");
            String hint = status == 404 ? " (is the gateway older than this meshgw?)" : "";
            throw new CommandFailure(
                    ExitCode.HTTP_ERROR, "GET " + path + " failed: HTTP " + status + reason + detail + hint);
        }
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new CommandFailure(
                    ExitCode.BAD_ANSWER,
                    "GET " + pathAndQuery + " answered HTTP " + status + " with something that is not JSON"
                            + firstLine(body).map(l -> ": " + l).orElse(""),
                    e);
        }
    }

    /** The {@code error} of the API's error body, when the body is one. */
    private Optional<String> errorField(String body) {
        try {
            ApiError error = json.readValue(body, ApiError.class);
            return Optional.ofNullable(error).map(ApiError::error).filter(e -> !e.isBlank());
        } catch (JacksonException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An HTML error page (a proxy, a servlet container) has no useful first line. */
    private static boolean isPlainText(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Content-Type")
                .map(t -> t.toLowerCase(Locale.ROOT).startsWith("text/plain"))
                .orElse(true);
    }

    private static Optional<String> firstLine(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        String line = body.strip().lines().findFirst().orElse("");
        return Optional.of(line.length() > 200 ? line.substring(0, 197) + "..." : line);
    }

    /** The cause in the words of {@code curl}, not of the JDK. */
    private String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connection timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "no answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
            }
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return "unknown host " + URI.create(base).getHost();
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed: " + t.getMessage();
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException && t.getMessage() != null) {
                return t.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused"; // the JDK's outermost ConnectException has no message
            }
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        http.close();
    }
}
