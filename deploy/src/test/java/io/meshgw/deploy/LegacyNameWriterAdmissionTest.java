package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.reconcile.LegacyNameWrites;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's LegacyService writer, run pass after pass against an API server whose admission applies the chart's
 * policies: every request it sends in a LegacyService's life (create, update, delete of its Service and slices) is
 * admitted, and the same account's attempt on somebody else's Service is refused with the API server's 403.
 */
class LegacyNameWriterAdmissionTest {
    private final ChartRender chart = ChartRender.defaults();
    private final ServiceWriteScenarios scenarios = new ServiceWriteScenarios(chart);
    private final AdmittedApiServer server = new AdmittedApiServer(ValidatingAdmission.of(chart.objects()));
    private final KubernetesClient admin = server.client(AdmittedApiServer.ADMIN);
    private final KubernetesClient gateway = server.client(scenarios.gateway);

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyWriteOfALegacyServicesLifeIsAdmitted() {
        admin.resource(unstored(scenarios.web)).create();
        admin.resource(unstored(scenarios.webSlice)).create();
        admin.resource(LegacyNameWrites.legacyService(
                        "apps", "mainframe", 3270, "10.50.1.5", "10.50.2.5", "2001:db8:50::5"))
                .create();

        pass(LegacyNameWrites.ROUTES);
        assertThat(slice("mainframe-ipv4")).isNotNull();
        assertThat(slice("mainframe-ipv6")).isNotNull();

        pass(List.of("10.50.1.0/24", "2001:db8:50::/48")); // 10.50.2.5 is no longer routed: the IPv4 slice changes
        admin.resources(LegacyService.class)
                .inNamespace("apps")
                .withName("mainframe")
                .edit(l -> {
                    l.getSpec().ports.getFirst().port = 3271;
                    return l;
                });
        pass(List.of("10.50.1.0/24", "2001:db8:50::/48")); // the Service's and the slices' ports change
        pass(List.of("2001:db8:50::/48")); // no IPv4 address left: its slice goes
        assertThat(slice("mainframe-ipv4")).isNull();
        admin.resources(LegacyService.class)
                .inNamespace("apps")
                .withName("mainframe")
                .delete();
        pass(LegacyNameWrites.ROUTES); // the LegacyService is gone: so are its Service and slice

        assertThat(server.denied()).isEmpty();
        String by = " by " + scenarios.gateway;
        assertThat(server.admitted())
                .filteredOn(w -> w.endsWith(by))
                .containsExactly(
                        "CREATE services apps/mainframe" + by,
                        "CREATE endpointslices apps/mainframe-ipv4" + by,
                        "CREATE endpointslices apps/mainframe-ipv6" + by,
                        "UPDATE endpointslices apps/mainframe-ipv4" + by,
                        "UPDATE services apps/mainframe" + by,
                        "UPDATE endpointslices apps/mainframe-ipv4" + by,
                        "UPDATE endpointslices apps/mainframe-ipv6" + by,
                        "DELETE endpointslices apps/mainframe-ipv4" + by,
                        "DELETE services apps/mainframe" + by,
                        "DELETE endpointslices apps/mainframe-ipv6" + by);
        assertThat(admin.services().inNamespace("apps").list().getItems())
                .extracting(s -> s.getMetadata().getName())
                .containsExactly("web");
    }

    @Test
    void theSameAccountCannotAddEndpointsToSomebodyElsesService() {
        admin.resource(unstored(scenarios.web)).create();
        var slice = scenarios.forgedOwnerSlice();

        assertThatThrownBy(() -> gateway.resource(slice).create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403))
                .hasMessageContaining("Service apps/web is not meshgw's");
        assertThat(slice("web-ipv4")).isNull();
    }

    private void pass(List<String> routes) {
        assertThat(LegacyNameWrites.pass(gateway, routes))
                .as("failed writes; denied: %s", server.denied())
                .isEmpty();
    }

    private EndpointSlice slice(String name) {
        return admin.discovery()
                .v1()
                .endpointSlices()
                .inNamespace("apps")
                .withName(name)
                .get();
    }

    /** The object as a client sends it, without what the API server sets. */
    private static <T extends HasMetadata> T unstored(T object) {
        var copy = ServiceWriteScenarios.copy(object);
        copy.getMetadata().setUid(null);
        copy.getMetadata().setResourceVersion(null);
        copy.getMetadata().setCreationTimestamp(null);
        return copy;
    }
}
