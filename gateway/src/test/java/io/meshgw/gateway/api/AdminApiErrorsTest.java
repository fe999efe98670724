package io.meshgw.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Errors anywhere under /api/v1 come as {"error": "..."} with their status, which the CLI prints. */
@QuarkusTest
class AdminApiErrorsTest {

    @Test
    void anEndpointThatDoesNotExistIsNotFoundInJson() {
        given().get("/api/v1/routes")
                .then()
                .statusCode(404)
                .contentType(ContentType.JSON)
                .body("error", not(emptyOrNullString()));
    }

    @Test
    void theApiOnlyReads() {
        given().post("/api/v1/bgp/peers")
                .then()
                .statusCode(405)
                .contentType(ContentType.JSON)
                .body("error", not(emptyOrNullString()));
    }

    @Test
    void infoSaysWhichBuildAnswers() {
        given().get("/api/v1/info")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("name", equalTo("meshgw-gateway"))
                .body("kernel", equalTo(System.getProperty("os.version")))
                .body("version", not(emptyOrNullString()));
    }
}
