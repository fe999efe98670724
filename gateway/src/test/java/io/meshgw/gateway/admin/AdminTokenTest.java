package io.meshgw.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(AdminTokenTest.WithToken.class)
class AdminTokenTest {

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshgw.admin.token", "s3cret-token");
        }
    }

    @Test
    void theAdminApiRefusesRequestsWithoutTheToken() {
        given().when()
                .get("/api/v1/info")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"meshgw\"")
                .body("error", equalTo("missing bearer token"));
        given().header("Authorization", "Bearer wrong")
                .when()
                .get("/api/v1/bgp/peers")
                .then()
                .statusCode(401)
                .body("error", equalTo("wrong bearer token"));
    }

    @Test
    void theRightTokenIsLetThrough() {
        given().header("Authorization", "Bearer s3cret-token")
                .when()
                .get("/api/v1/info")
                .then()
                .statusCode(200);
    }

    @Test
    void probesAndScrapersNeedNoToken() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
