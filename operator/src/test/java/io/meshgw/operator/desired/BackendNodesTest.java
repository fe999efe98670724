package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackendNodesTest {
    static final IpAddress ROLE_3 = IpAddress.parse("10.0.0.3");
    static final IpAddress ROLE_4 = IpAddress.parse("10.0.0.4");
    static final Map<String, IpAddress> NODE_ROLES = Map.of("node-3", ROLE_3, "node-4", ROLE_4, "gw-1", ROLE_4);
    static final Set<String> GATEWAY_NODES = Set.of("gw-1");

    /** ns/service's slice with one endpoint per "address@node" pair. */
    static EndpointSlice slice(String ns, String service, String... endpointsOnNodes) {
        var addresses = java.util.Arrays.stream(endpointsOnNodes)
                .map(e -> e.substring(0, e.indexOf('@')))
                .toArray(String[]::new);
        var slice = Fixtures.slice(ns, service, "http", 8080, addresses);
        slice.getMetadata().setName(slice.getMetadata().getName() + "-" + endpointsOnNodes[0]);
        for (int i = 0; i < endpointsOnNodes.length; i++) {
            var e = endpointsOnNodes[i];
            slice.getEndpoints().get(i).setNodeName(e.substring(e.indexOf('@') + 1));
        }
        return slice;
    }

    static Translation translation(String ns, String service, Backend... backends) {
        return new Translation(
                new ObjectKey(ns, service),
                IpAddress.parse("192.0.2.1"),
                1,
                List.of(new PortTranslation(ServicePort.tcp("http", 80), List.of(backends))));
    }

    static Backend local(String address) {
        return new Backend(IpAddress.parse(address), 8080, Fixtures.EAST, true);
    }

    static Backend remote(String address) {
        return new Backend(IpAddress.parse(address), 8080, Fixtures.WEST, false);
    }

    static Map<IpAddress, IpAddress> of(List<EndpointSlice> slices, Translation... translations) {
        return BackendNodes.of(slices, List.of(translations), List.of(), NODE_ROLES, GATEWAY_NODES);
    }

    @Test
    void aLocalBackendOnAnOrdinaryNodeWithAReadyNodeRoleIsTunnelledToIt() {
        assertThat(of(
                        List.of(slice("shop", "web", "10.1.0.5@node-3", "10.1.0.6@node-4")),
                        translation("shop", "web", local("10.1.0.5"), local("10.1.0.6"))))
                .containsExactly(
                        Map.entry(IpAddress.parse("10.1.0.5"), ROLE_3), Map.entry(IpAddress.parse("10.1.0.6"), ROLE_4));
    }

    @Test
    void aBackendOnAGatewayNodeOrOnANodeWithoutAReadyNodeRoleIsRoutedPlainly() {
        assertThat(of(
                        List.of(slice("shop", "web", "10.1.0.5@gw-1", "10.1.0.6@node-9")),
                        translation("shop", "web", local("10.1.0.5"), local("10.1.0.6"))))
                .isEmpty();
    }

    @Test
    void onlyTheLocalBackendsOfTheTranslatedServicesAreTunnelled() {
        var map = of(
                List.of(
                        // A remote backend's address that a slice here happens to list too.
                        slice("shop", "web", "10.2.0.5@node-3"),
                        // A Service not translated.
                        slice("shop", "other", "10.1.0.9@node-4"),
                        slice("shop", "web", "10.1.0.7@node-3", "10.1.0.8@node-3")),
                translation("shop", "web", local("10.1.0.7"), remote("10.2.0.5")));

        assertThat(map)
                .as("10.1.0.8 and 10.1.0.9 are listed but no backends; 10.2.0.5 is another cluster's")
                .containsExactly(Map.entry(IpAddress.parse("10.1.0.7"), ROLE_3));
    }

    /**
     * A mesh-only export is translated by no VIP here, but another cluster's gateway tunnels its flows here: its
     * backends on an ordinary node are relayed to that node, or their replies would leave by the node's own routes.
     */
    @Test
    void theLocalBackendsOfAnExportForTheMeshAreTunnelledToo() {
        var export = new ExportedService(
                new ObjectKey("shop", "api"),
                java.time.Instant.EPOCH,
                List.of(new PortTranslation(ServicePort.tcp("http", 80), List.of(local("10.1.0.5")))),
                java.util.Optional.empty());

        assertThat(BackendNodes.of(
                        List.of(slice("shop", "api", "10.1.0.5@node-3")),
                        List.of(),
                        List.of(export),
                        NODE_ROLES,
                        GATEWAY_NODES))
                .containsExactly(Map.entry(IpAddress.parse("10.1.0.5"), ROLE_3));
    }

    @Test
    void anAddressTwoSlicesPlaceOnTwoNodesIsRoutedPlainly() {
        var map = of(
                List.of(
                        slice("shop", "web", "10.1.0.5@node-3", "10.1.0.6@node-3"),
                        slice("shop", "api", "10.1.0.5@node-4", "10.1.0.6@node-3")),
                translation("shop", "web", local("10.1.0.5"), local("10.1.0.6")),
                translation("shop", "api", local("10.1.0.5"), local("10.1.0.6")));

        assertThat(map)
                .as("two slices agreeing on a node are no conflict")
                .containsExactly(Map.entry(IpAddress.parse("10.1.0.6"), ROLE_3));
    }

    @Test
    void anIpv6BackendIsRoutedPlainly() {
        var slice = slice("shop", "web", "fd00::5@node-3");
        slice.setAddressType("IPv6");

        assertThat(of(List.of(slice), translation("shop", "web", local("fd00::5"))))
                .as("the tunnel is IPv4")
                .isEmpty();
    }

    @Test
    void anEndpointWithoutANodeNamesNone() {
        var slice = slice("shop", "web", "10.1.0.5@node-3");
        slice.getEndpoints().getFirst().setNodeName(null);

        assertThat(of(List.of(slice), translation("shop", "web", local("10.1.0.5"))))
                .isEmpty();
    }
}
