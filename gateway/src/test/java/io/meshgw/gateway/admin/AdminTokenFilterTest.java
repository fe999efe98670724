package io.meshgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.gateway.GatewayConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How the filter reads the configured token and an Authorization header, without a server. */
class AdminTokenFilterTest {

    private static final byte[] TOKEN = "s3cret-token".getBytes(StandardCharsets.UTF_8);

    record Admin(Optional<String> token, Optional<String> tokenFile) implements GatewayConfig.Admin {}

    @ParameterizedTest
    @ValueSource(
            strings = {"Bearer s3cret-token", "bearer s3cret-token", "BEARER s3cret-token", "Bearer  s3cret-token "})
    void theTokenAfterTheBearerSchemeIsLetThrough(String header) {
        assertThat(AdminTokenFilter.authorized(header, TOKEN)).isTrue();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "Bearer",
                "Bearer ",
                "s3cret-token",
                "Basic s3cret-token",
                "Bearer s3cret-toke",
                "Bearer s3cret-tokens",
                "Bearer S3CRET-TOKEN",
                "Bearer s3cret-tokeN",
                "Bearer s3cret token"
            })
    void anythingElseIsRefused(String header) {
        assertThat(AdminTokenFilter.authorized(header, TOKEN)).isFalse();
    }

    @Test
    void onlyTheBearerSchemeHasCredentials() {
        assertThat(AdminTokenFilter.bearer("Bearer abc")).contains("abc");
        assertThat(AdminTokenFilter.bearer("Basic YWJj")).isEmpty();
        assertThat(AdminTokenFilter.bearer("Bearerabc")).isEmpty();
    }

    @Test
    void theTokenIsTrimmedAndABlankOneIsNone() {
        assertThat(AdminTokenFilter.resolve(new Admin(Optional.of("  t0k  "), Optional.empty())))
                .hasValueSatisfying(
                        t -> assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo("t0k"));
        assertThat(AdminTokenFilter.resolve(new Admin(Optional.of("  "), Optional.empty())))
                .isEmpty();
        assertThat(AdminTokenFilter.resolve(new Admin(Optional.empty(), Optional.empty())))
                .isEmpty();
    }

    @Test
    void theTokenFileWinsAndLosesItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "from-file\n");

        assertThat(AdminTokenFilter.resolve(new Admin(Optional.of("from-property"), Optional.of(file.toString()))))
                .hasValueSatisfying(
                        t -> assertThat(new String(t, StandardCharsets.UTF_8)).isEqualTo("from-file"));
    }

    @Test
    void anEmptyOrMissingTokenFileStopsTheStartNamingTheKey(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), "\n");

        assertThatThrownBy(() -> AdminTokenFilter.resolve(new Admin(Optional.empty(), Optional.of(empty.toString()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("meshgw.admin.token-file")
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> AdminTokenFilter.resolve(new Admin(
                        Optional.empty(), Optional.of(dir.resolve("absent").toString()))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("meshgw.admin.token-file: cannot read");
    }

    private static Config quarkus(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withDefaultValues(values).build();
    }

    @Test
    void anAdminApiOnTheNodesAddressWithoutATokenDoesNotStart() {
        var filter = new AdminTokenFilter(null);
        assertThatThrownBy(() -> filter.start(
                        new Admin(Optional.empty(), Optional.empty()), quarkus(Map.of("quarkus.http.host", "0.0.0.0"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.http.host")
                .hasMessageContaining("meshgw.admin.token-file");
    }

    @Test
    void withATokenOrOnLoopbackTheAdminApiStarts() {
        new AdminTokenFilter(null)
                .start(
                        new Admin(Optional.of("t0k"), Optional.empty()),
                        quarkus(Map.of("quarkus.http.host", "0.0.0.0")));
        new AdminTokenFilter(null)
                .start(
                        new Admin(Optional.empty(), Optional.empty()),
                        quarkus(Map.of("quarkus.http.host", "127.0.0.1")));
    }
}
