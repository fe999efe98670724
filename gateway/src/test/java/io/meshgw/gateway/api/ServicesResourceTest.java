package io.meshgw.gateway.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.AdminApiLab;
import io.meshgw.gateway.api.v1.PortView;
import io.meshgw.gateway.api.v1.ServiceView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ServicesResourceTest {

    @Inject
    GatewayConfig config;

    private ServiceView[] services() {
        return given().get("/api/v1/services")
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .extract()
                .as(ServiceView[].class);
    }

    @Test
    void nothingExportedIsAnEmptyList() {
        given().get("/api/v1/services").then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void servicesByNamespaceAndNameWithTheirBackendsHereAndInEachOtherCluster() {
        AdminApiLab.install(config);

        ServiceView[] services = services();

        assertThat(services)
                .extracting(s -> s.namespace() + "/" + s.name())
                .containsExactly("dns/coredns", "shop/cart", "shop/orders", "shop/payments");
        assertThat(services[1])
                .isEqualTo(new ServiceView(
                        "shop",
                        "cart",
                        "198.51.100.10",
                        List.of(new PortView("http", 80, "TCP")),
                        true,
                        2,
                        Map.of("west", 2),
                        true,
                        null));
        // west exports coredns without a ready backend: listed, with zero.
        assertThat(services[0].remoteBackends()).isEqualTo(Map.of("west", 0));
    }

    @Test
    void aVipWithoutBackendsIsNotAnnouncedAndSaysWhy() {
        AdminApiLab.install(config);

        ServiceView orders = services()[2];

        assertThat(orders.announced()).isFalse();
        assertThat(orders.ready()).isFalse();
        assertThat(orders.reason()).isEqualTo("no ready backend in any cluster");
    }

    @Test
    void aMeshOnlyExportHasNoVipAndIsReadyWithABackend() {
        AdminApiLab.install(config);

        ServiceView payments = services()[3];

        assertThat(payments.assignedVip()).isNull();
        assertThat(payments.announced()).isFalse();
        assertThat(payments.localBackends()).isEqualTo(1);
        assertThat(payments.ready()).isTrue();
        assertThat(payments.reason()).isNull();
    }
}
