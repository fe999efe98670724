package io.meshgw.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InfoResourceTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void reportsNameAndJavaVersion() {
        given().when()
                .get("/api/v1/info")
                .then()
                .statusCode(200)
                .body("name", equalTo("meshgw-gateway"))
                .body("java", startsWith("25"))
                .body("mode", equalTo("none"))
                .body("replica", not(emptyOrNullString()))
                .body("leading", equalTo(false))
                .body("leader", nullValue())
                .body("node", nullValue());
    }

    @Test
    void livenessIsUp() {
        given().port(management.getPort())
                .when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"));
    }
}
