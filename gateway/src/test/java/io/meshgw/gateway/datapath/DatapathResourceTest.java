package io.meshgw.gateway.datapath;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.AdminApiLab;
import io.meshgw.gateway.api.v1.ConntrackView;
import io.meshgw.gateway.api.v1.DatapathView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The datapath's endpoints, on the test profile's gateway (no datapath loaded) and on the lab's state. */
@QuarkusTest
class DatapathResourceTest {

    @Inject
    GatewayConfig config;

    @Test
    void withoutADatapathNothingIsLoadedAndEveryCounterIsZero() {
        assertThat(given().get("/api/v1/datapath")
                        .then()
                        .statusCode(200)
                        .extract()
                        .as(DatapathView.class))
                .isEqualTo(new DatapathView(false, List.of(), 0, 0));
        given().get("/api/v1/datapath/counters")
                .then()
                .statusCode(200)
                .body("$", hasSize(io.meshgw.bpf.datapath.Counter.values().length))
                .body("packets", everyItem(equalTo(0)));
        given().get("/api/v1/datapath/conntrack").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/datapath/translations").then().statusCode(200).body("$", hasSize(0));
        given().get("/api/v1/datapath/egress").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void theStatusCountsWhatIsLoadedAndSaysWhereItIsAttached() {
        AdminApiLab.install(config);

        DatapathView status = given().get("/api/v1/datapath")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .as(DatapathView.class);

        assertThat(status.running()).isTrue();
        assertThat(status.services()).isEqualTo(4);
        assertThat(status.egressIdentities()).isEqualTo(1);
        assertThat(status.attachments())
                .hasSize(2)
                .allSatisfy(a -> assertThat(a).startsWith("tcx ingress on mgw-"));
    }

    @Test
    void conntrackReadsAtMostTheLimit() {
        AdminApiLab.install(config);

        ConntrackView[] two = given().queryParam("limit", 2)
                .get("/api/v1/datapath/conntrack")
                .then()
                .statusCode(200)
                .extract()
                .as(ConntrackView[].class);

        assertThat(two).extracting(ConntrackView::kind).containsExactly("DNAT", "DNAT_REPLY");
        given().get("/api/v1/datapath/conntrack").then().statusCode(200).body("$", hasSize(5));
        given().queryParam("limit", 100_000)
                .get("/api/v1/datapath/conntrack")
                .then()
                .statusCode(200)
                .body("$", hasSize(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "100001", "many", "1e3"})
    void aLimitOutsideOneToAHundredThousandIsABadRequestThatSaysSo(String limit) {
        given().queryParam("limit", limit)
                .get("/api/v1/datapath/conntrack")
                .then()
                .statusCode(400)
                .contentType(ContentType.JSON)
                .body("error", equalTo("limit must be a whole number from 1 to 100000, not '" + limit + "'"));
    }

    @Test
    void theLimitIsTheSameCheckWithoutAServer() {
        assertThat(DatapathResource.conntrackLimit(" 42 ")).isEqualTo(42);
        assertThat(DatapathResource.conntrackLimit("100000")).isEqualTo(100_000);
    }
}
