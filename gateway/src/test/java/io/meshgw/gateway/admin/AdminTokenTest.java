package io.meshgw.gateway.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.meshgw.gateway.api.v1.AdminApiFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        given().port(management.getPort()).when().get("/q/health/live").then().statusCode(200);
        given().port(management.getPort()).when().get("/q/metrics").then().statusCode(200);
        // the admin API's description, beside it: on loopback unless a token or client certificates guard it
        given().when().get("/q/openapi").then().statusCode(200);
    }

    static Stream<String> endpoints() {
        return Stream.concat(
                Stream.of(AdminApiFixture.values()).map(AdminApiFixture::request),
                Stream.of("/api/v1/info", "/api/v1/datapath", "/api/v1/bgp/routes?peer=dc1-rr1"));
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void everyEndpointNeedsTheToken(String endpoint) {
        given().when().get(endpoint).then().statusCode(401).body("error", equalTo("missing bearer token"));
    }

    @Test
    void theSchemeIsCaseInsensitiveAndOnlyBearerCounts() {
        given().header("Authorization", "bearer s3cret-token")
                .when()
                .get("/api/v1/info")
                .then()
                .statusCode(200);
        given().header("Authorization", "Basic czNjcmV0LXRva2Vu")
                .when()
                .get("/api/v1/info")
                .then()
                .statusCode(401)
                .body("error", equalTo("the Authorization header holds no bearer token"));
    }

    @TestHTTPResource("/")
    URL root;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Sent as written: the JDK's client does not tidy a path the way RestAssured's does. */
    @ParameterizedTest
    @ValueSource(
            strings = {"//api/v1/info", "/api/./v1/info", "/api/v1/../v1/info", "/api/v1/info/", "/api/v1/info;x=1"})
    void noSpellingOfAPathGetsPastTheToken(String path) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + root.getPort() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isIn(401, 404);
        }
    }
}
