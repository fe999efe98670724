package io.meshgw.gateway.mesh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.AdminApiLab;
import io.meshgw.gateway.api.v1.MeshClusterView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MeshResourceTest {

    @Inject
    GatewayConfig config;

    @Test
    void withoutMeshSyncThereAreNoClusters() {
        given().get("/api/v1/mesh/clusters").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void everyClusterOfTheSnapshotByIdWithTheReadersFigures() {
        AdminApiLab.install(config);

        MeshClusterView[] clusters = given().get("/api/v1/mesh/clusters")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .as(MeshClusterView[].class);

        assertThat(clusters).extracting(MeshClusterView::clusterId).containsExactly(1, 2, 3);
        assertThat(clusters[1]).isEqualTo(new MeshClusterView(2, "west", true, true, 1_210L, 12, 98_765, 3, 2, 2));
        // Never heard from: no heartbeat age, not zero.
        assertThat(clusters[2]).isEqualTo(new MeshClusterView(3, "south", false, false, null, 4_521, 0, 0, 0, 0));
    }
}
