package io.meshgw.gateway.bgp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The gateway with its speaker running and no peers configured (the test profile). */
@QuarkusTest
class BgpResourceTest {

    @Test
    void noPeersMeansEmptyListsAndReady() {
        given().get("/api/v1/bgp/peers").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/bgp/routes").then().statusCode(200).body("$", hasSize(0));
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'bgp' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'bgp' }.data.enabled", equalTo(true));
    }
}
