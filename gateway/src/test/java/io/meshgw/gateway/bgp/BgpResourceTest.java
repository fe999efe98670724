package io.meshgw.gateway.bgp;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.AdminApiLab;
import io.meshgw.gateway.api.v1.PeerView;
import io.meshgw.gateway.api.v1.RouteView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gateway with its speaker running and no peers configured (the test profile), or with the lab's BGP state. */
@QuarkusTest
class BgpResourceTest {

    @Inject
    GatewayConfig config;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void noPeersMeansEmptyListsAndReady() {
        given().get("/api/v1/bgp/peers").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/bgp/routes").then().statusCode(200).body("$", hasSize(0));
        given().port(management.getPort())
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'bgp' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'bgp' }.data.enabled", equalTo(true))
                .body("checks.find { it.name == 'control-plane' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'control-plane' }.data.leading", equalTo(false))
                .body("checks.find { it.name == 'control-plane' }.data.leader", equalTo("unknown"))
                .body("checks.find { it.name == 'control-plane' }.data.egressSources", equalTo("none"))
                .body("checks.find { it.name == 'control-plane' }.data.egressSteeredTo", equalTo("none"));
    }

    @Test
    void aSessionThatIsDownHasNoUptimeAndSaysWhy() {
        AdminApiLab.install(config);

        PeerView[] peers = given().get("/api/v1/bgp/peers")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .as(PeerView[].class);

        assertThat(peers).extracting(PeerView::name).containsExactly("dc1-rr1", "dc2-rr1", "lab");
        assertThat(peers[2])
                .isEqualTo(new PeerView(
                        "lab",
                        "198.51.100.1",
                        4_200_000_001L,
                        "Active",
                        null,
                        0,
                        0,
                        0,
                        40,
                        44,
                        3,
                        "hold timer expired",
                        0,
                        List.of()));
        assertThat(peers[0].establishedSince()).isEqualTo("2025-05-28T08:00:00Z");
    }

    @Test
    void aPeersRoutesAreWhatItSentAndImportPolicyAcceptedBestOrNot() {
        AdminApiLab.install(config);

        RouteView[] routes = given().queryParam("peer", "dc1-rr1")
                .get("/api/v1/bgp/routes")
                .then()
                .statusCode(200)
                .extract()
                .as(RouteView[].class);

        // 10.1.2.0/24 from dc1-rr1 lost to dc2-rr1's (local pref 200) but was accepted all the same.
        assertThat(routes)
                .containsExactly(
                        new RouteView(
                                "10.0.0.0/8",
                                "192.0.2.254",
                                "dc1-rr1",
                                List.of(65001L),
                                List.of("65000:100"),
                                null,
                                100L),
                        new RouteView(
                                "10.1.0.0/16", "192.0.2.254", "dc1-rr1", List.of(65001L, 65010L), List.of(), 20L, 100L),
                        new RouteView("10.1.2.0/24", "192.0.2.254", "dc1-rr1", List.of(65001L), List.of(), null, 100L));
    }

    @Test
    void anUnknownPeerIsNotFoundAndNamed() {
        AdminApiLab.install(config);

        given().queryParam("peer", "dc9")
                .get("/api/v1/bgp/routes")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", equalTo("no BGP peer named dc9"));
    }

    @Test
    void aBlankPeerMeansEveryBestRoute() {
        AdminApiLab.install(config);

        given().queryParam("peer", " ")
                .get("/api/v1/bgp/routes")
                .then()
                .statusCode(200)
                .body("$", hasSize(8))
                .body("from", org.hamcrest.Matchers.hasItems("local", "dc1-rr1", "dc2-rr1"));
    }
}
