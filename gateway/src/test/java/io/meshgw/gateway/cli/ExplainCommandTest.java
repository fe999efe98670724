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
                         1. bgp       announced as 198.51.100.10/32 to every peer
                                      owner:       MeshServiceExport/shop/cart
                                      communities: 65000:100
                         2. export    MeshServiceExport shop/cart holds VIP 198.51.100.10
                                      service: shop/cart
                                      ports:   1
                         3. backends  198.51.100.10:80/TCP: 4 backend(s), 2 local (new flows use local ones only)
                                      slot 0: 10.1.0.10:8080 (local)
                                      slot 1: 10.1.0.11:8080 (local)
                                      slot 2: 10.2.0.5:8080 (cluster 2)
                                      slot 3: 10.2.0.6:8080 (cluster 2)
                         4. datapath  mgw_svc_v1[198.51.100.10:80/TCP] -> identity 1001, 4 slots
                                      program: mgw_from_legacy (DNAT), mgw_from_cluster (reverse DNAT)
                         5. counters  2 tracked flow(s) to this VIP
                                      dnat new (all VIPs):            1234
                                      dropped, no backend (all VIPs): 42
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
