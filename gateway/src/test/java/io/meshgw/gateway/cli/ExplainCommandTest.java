package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExplainCommandTest {

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
    void aNumberedChainWithDetailsAndTheVerdictLast() {
        CliRun run = CliRun.run("explain", "198.51.100.10:80", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                        198.51.100.10:80
                         1. bgp       198.51.100.0/24 is announced to 2 of 2 peers
                                      prefix:       198.51.100.0/24
                                      announced-to: dc1-rr1, dc2-rr1
                         2. vip-pool  198.51.100.10 belongs to pool public
                                      pool: public
                         3. service   port 80/TCP is shop/cart http
                                      service: shop/cart
                                      port:    http:80/TCP
                         4. backends  3 ready backends, 2 of them local
                         5. datapath  loaded as identity 1001
                                      identity: 1001
                        verdict: translated
                        """);
    }

    @Test
    void aDropReadsAsSuch() {
        gateway.answer("/api/v1/explain", 200, """
                {"address": "198.51.100.20:443", "verdict": "dropped: no backend", "steps": [
                  {"stage": "backends", "summary": "no ready backend in any cluster", "details": null}]}
                """);

        CliRun run = CliRun.run("explain", "198.51.100.20:443", "--url", gateway.url());

        assertThat(run.lines())
                .containsExactly(
                        "198.51.100.20:443",
                        " 1. backends  no ready backend in any cluster",
                        "verdict: dropped: no backend");
    }

    @ParameterizedTest
    @CsvSource({
        "198.51.100.10:80, 198.51.100.10%3A80",
        "198.51.100.10, 198.51.100.10",
        "2001:db8::10, 2001%3Adb8%3A%3A10",
        "[2001:db8::10]:443, %5B2001%3Adb8%3A%3A10%5D%3A443"
    })
    void theAddressGoesAsAQueryParameter(String address, String encoded) {
        CliRun run = CliRun.run("explain", address, "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::pathAndQuery)
                .containsExactly("/api/v1/explain?address=" + encoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cart.shop.svc", "198.51.100", "198.51.100.10:99999", "2001:db8::10:443]", "[10.0.0.1]:80"})
    void anythingButAnAddressIsRefusedBeforeAsking(String address) {
        CliRun run = CliRun.run("explain", address, "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .startsWith("meshgw: '" + address + "' is not an IPv4 or IPv6 address with an optional port")
                .contains("Usage: meshgw explain");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void theAddressIsRequired() {
        CliRun run = CliRun.run("explain", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).contains("Missing required parameter: 'ADDRESS'");
    }
}
