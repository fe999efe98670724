package io.meshgw.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MetricsTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void prometheusExposesTheDatapathCountersByOutcome() {
        given().port(management.getPort())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("meshgw_datapath_packets_total{outcome=\"dnat_new\"}"))
                .body(containsString("meshgw_datapath_packets_total{outcome=\"drop_policy\"}"));
    }

    @Test
    void prometheusExposesTheMeshSeriesAndTheReconcileHistogram() {
        // MetricCatalogueTest records every series; deploy's DashboardTest checks the dashboard against that record
        given().port(management.getPort())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("meshgw_mesh_records_applied_total"))
                .body(containsString("meshgw_mesh_records_rejected_total"))
                .body(containsString("meshgw_reconcile_duration_seconds_bucket{le="));
    }

    @Test
    void theAdminApiIsDescribedByOpenApi() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/datapath/conntrack"))
                .body(containsString("/api/v1/bgp/peers"));
    }
}
