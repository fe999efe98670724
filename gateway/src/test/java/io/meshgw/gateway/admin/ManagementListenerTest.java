package io.meshgw.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * Health and metrics on a listener of their own, which the chart binds to the node's address for the kubelet and
 * Prometheus, while the admin API and its OpenAPI description stay on loopback.
 */
@QuarkusTest
class ManagementListenerTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @TestHTTPResource("/")
    URL admin;

    @Test
    void healthAndMetricsAreNotServedBesideTheAdminApi() {
        assertThat(management.getPort()).isNotEqualTo(admin.getPort());
        given().port(admin.getPort()).get("/q/metrics").then().statusCode(404);
        given().port(admin.getPort()).get("/q/health/live").then().statusCode(404);
        given().port(admin.getPort()).get("/q/health/ready").then().statusCode(404);
    }

    @Test
    void probesAndScrapersFindThemOnTheManagementListener() {
        given().port(management.getPort()).get("/q/health/live").then().statusCode(200);
        given().port(management.getPort()).get("/q/health/ready").then().statusCode(200);
        given().port(management.getPort())
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("meshgw_"));
    }

    @Test
    void theAdminApiAndItsDescriptionAreNotOnTheManagementListener() {
        given().port(management.getPort()).get("/q/openapi").then().statusCode(404);
        given().port(management.getPort()).get("/api/v1/info").then().statusCode(404);
        given().port(admin.getPort()).get("/q/openapi").then().statusCode(200);
    }
}
