package io.meshgw.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.AdminApiLab;
import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.api.v1.ExplanationStep;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** explain for each kind of address of the lab, and what it refuses. */
@QuarkusTest
class ExplainResourceTest {

    @Inject
    GatewayConfig config;

    @BeforeEach
    void lab() {
        AdminApiLab.install(config);
    }

    private static Explanation explain(String address) {
        return given().queryParam("address", address)
                .get("/api/v1/explain")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .as(Explanation.class);
    }

    private static List<String> stages(Explanation e) {
        return e.steps().stream().map(ExplanationStep::stage).toList();
    }

    @Test
    void aVipWithoutAPortCoversEachOfItsProtocols() {
        Explanation e = explain("198.51.100.53");

        assertThat(e.address()).isEqualTo("198.51.100.53");
        assertThat(e.verdict()).isEqualTo("translated");
        assertThat(stages(e))
                .containsExactly("bgp", "export", "backends", "datapath", "backends", "datapath", "counters");
    }

    @Test
    void aVipWithoutBackendsIsDroppedAndNotAnnounced() {
        Explanation e = explain("198.51.100.20:443");

        assertThat(e.verdict()).isEqualTo("dropped: no backend");
        assertThat(e.steps().getFirst())
                .isEqualTo(new ExplanationStep(
                        "bgp", "not announced", Map.of("why", "no ready backend in any cluster, or no BGP speaker")));
        assertThat(e.steps().get(2).summary()).isEqualTo("198.51.100.20:443/TCP: 0 backend(s), 0 local");
    }

    @Test
    void aVipOnAPortItDoesNotServeIsNotTranslated() {
        Explanation e = explain("198.51.100.53:80");

        assertThat(e.verdict()).isEqualTo("not translated: VIP 198.51.100.53 has no port 80");
        assertThat(e.steps())
                .containsExactly(new ExplanationStep(
                        "datapath", "198.51.100.53 is a VIP on other ports only", Map.of("ports", "53/UDP 53/TCP")));
    }

    @Test
    void anEgressSourceAddressNamesItsIdentityAndItsFlows() {
        Explanation e = explain("203.0.113.1");

        assertThat(e.verdict()).isEqualTo("egress source address");
        assertThat(stages(e)).containsExactly("egress", "bgp", "egress-identity", "datapath", "counters");
        assertThat(e.steps().getFirst())
                .isEqualTo(new ExplanationStep(
                        "egress",
                        "source address of identity 2001 (2 pod address(es))",
                        Map.of("ports", "32768-60999", "destinations", "192.0.2.0/24 198.18.0.0/15")));
        assertThat(e.steps().get(2).summary()).isEqualTo("EgressIdentity shop/billing-client");
        assertThat(e.steps().getLast().summary()).isEqualTo("1 tracked outbound flow(s) with this source");
    }

    @Test
    void aLegacyAddressFollowsTheLongestBestRoute() {
        Explanation v4 = explain("10.1.2.77");
        Explanation v6 = explain("[2001:db8:100::5]:443");

        assertThat(v4.verdict()).isEqualTo("routed toward the datacenter (a legacy destination)");
        assertThat(v4.steps())
                .containsExactly(new ExplanationStep(
                        "bgp",
                        "best route 10.1.2.0/24 from dc2-rr1",
                        Map.of("next hop", "192.0.2.253", "as path", "[65002]")));
        assertThat(v6.steps().getFirst().summary()).isEqualTo("best route 2001:db8:100::/48 from dc2-rr1");
        assertThat(v6.steps().getFirst().details()).containsEntry("next hop", "2001:db8::fe");
    }

    @Test
    void anAddressNothingCoversIsNotHandled() {
        Explanation e = explain("172.16.0.1");

        assertThat(e.verdict()).isEqualTo("not handled: no VIP, egress address or BGP route covers it");
        assertThat(e.steps()).isEmpty();
    }

    @Test
    void withoutAnAddressItSaysWhatToGive() {
        given().get("/api/v1/explain")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", startsWith("address is required: ?address= one of 192.0.2.1, 192.0.2.1:80"));
    }

    /** The forms the CLI refuses before asking are refused here too: one parser for both. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "cart.shop.svc",
                "10.1",
                "198.51.100.10:0",
                "198.51.100.10:99999",
                "[10.0.0.1]:80",
                "2001:db8::10:443]"
            })
    void anythingButAnAddressWithAnOptionalPortIsABadRequest(String address) {
        given().queryParam("address", address)
                .get("/api/v1/explain")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body(
                        "error",
                        equalTo("'" + address + "' is not an IPv4 or IPv6 address with an optional port (192.0.2.1,"
                                + " 192.0.2.1:80, 2001:db8::1 or [2001:db8::1]:443)"));
    }
}
