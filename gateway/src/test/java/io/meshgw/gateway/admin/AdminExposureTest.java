package io.meshgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The gateway runs in the host's network namespace: an unguarded admin API off loopback is refused at start. */
class AdminExposureTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "::", "[::]", "192.0.2.1", "2001:db8::1", "", "no-such-host.invalid"})
    void anAdminApiOnANodeAddressWithoutATokenRefusesToStart(String host) {
        assertThat(new AdminExposure(host, false, "none", "enabled").refusal())
                .hasValueSatisfying(why -> assertThat(why)
                        .contains("quarkus.http.host")
                        .contains("meshgw.admin.token-file")
                        .contains("not a loopback address"));
    }

    @Test
    void clientCertificatesThatThePlainPortLetsPastAreNoGuard() {
        assertThat(new AdminExposure("0.0.0.0", false, "required", "enabled").refusal())
                .isPresent();
        assertThat(new AdminExposure("0.0.0.0", false, "request", "disabled").refusal())
                .isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.53"})
    void onLoopbackTheApiMayRunWithoutAToken(String host) {
        assertThat(new AdminExposure(host, false, "none", "enabled").refusal()).isEmpty();
    }

    @Test
    void aTokenOrRequiredClientCertificatesGuardANodeAddress() {
        assertThat(new AdminExposure("0.0.0.0", true, "none", "enabled").refusal())
                .isEmpty();
        assertThat(new AdminExposure("0.0.0.0", false, "REQUIRED", "disabled").refusal())
                .isEmpty();
    }
}
