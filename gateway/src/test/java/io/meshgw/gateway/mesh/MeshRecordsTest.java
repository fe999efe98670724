package io.meshgw.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterStatus;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MeshRecordsTest {

    private static final ClusterId EAST = new ClusterId(1, "east");
    private static final ClusterId WEST = new ClusterId(2, "west");
    private static final ServicePort HTTP = new ServicePort("http", Protocol.TCP, 80);

    @Test
    void anExportIsOneServiceExportAndOneSlicePerPortWithTheMostCommonTargetPort() {
        var export = new ExportedService(
                new ObjectKey("shop", "web"),
                Instant.parse("2026-01-01T00:00:00Z"),
                List.of(new PortTranslation(
                        HTTP,
                        List.of(
                                new Backend(IpAddress.parse("10.0.0.1"), 8080, EAST, true),
                                new Backend(IpAddress.parse("10.0.0.2"), 8080, EAST, true),
                                new Backend(IpAddress.parse("10.0.0.3"), 9090, EAST, true)))),
                Optional.of(IpAddress.parse("198.51.100.10")));

        List<StateValue> values = MeshRecords.values(export, 1);

        assertThat(values).hasSize(2);
        var service = (ServiceExport) values.getFirst();
        assertThat(service.ports()).containsExactly(HTTP);
        assertThat(service.legacyVip()).hasValueSatisfying(v -> {
            assertThat(v.address().getHostAddress()).isEqualTo("198.51.100.10");
            assertThat(v.port()).isEqualTo(80);
        });
        assertThat(service.exportedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        var slice = (EndpointSlice) values.get(1);
        assertThat(slice.slice()).isEqualTo("gw-http");
        assertThat(slice.owningCluster()).isEqualTo(1);
        assertThat(slice.ports()).containsExactly(new ServicePort("http", Protocol.TCP, 8080));
        assertThat(slice.endpoints())
                .extracting(e -> e.addresses().getFirst().getHostAddress())
                .containsExactly("10.0.0.1", "10.0.0.2");
    }

    @Test
    void aRemoteClusterContributesOnlyItsReadyEndpointsPerPort() {
        var slice = new EndpointSlice(
                "shop",
                "web",
                "gw-http",
                2,
                List.of(new ServicePort("http", Protocol.TCP, 8080)),
                List.of(
                        Endpoint.ready(InetAddress.ofLiteral("10.1.0.1")),
                        new Endpoint(
                                List.of(InetAddress.ofLiteral("10.1.0.2")),
                                false,
                                true,
                                true,
                                Optional.empty(),
                                Optional.empty())));
        var service = new ServiceExport("shop", "web", List.of(HTTP), Map.of(), Optional.empty(), Instant.EPOCH);
        var view = new ClusterView(
                WEST,
                new ClusterStatus(true, true, Optional.empty(), 1),
                Map.of(service.key(), service),
                Map.of(slice.key(), slice),
                Map.of());

        List<RemoteExport> remote = MeshRecords.remoteExports(view);

        assertThat(remote).singleElement().satisfies(r -> {
            assertThat(r.cluster()).isEqualTo(WEST);
            assertThat(r.service()).isEqualTo(new ObjectKey("shop", "web"));
            assertThat(r.ports()).containsExactly(HTTP);
            assertThat(r.endpoints()).singleElement().satisfies(e -> {
                assertThat(e.serves(HTTP)).isTrue();
                assertThat(e.targetPort()).isEqualTo(8080);
                assertThat(e.ready())
                        .as("a terminating endpoint takes no new flows")
                        .containsExactly(IpAddress.parse("10.1.0.1"));
            });
            assertThat(r.readyBackends()).isEqualTo(1);
        });
    }

    @Test
    void anUnavailableClusterContributesNoEndpoints() {
        var slice = new EndpointSlice(
                "shop",
                "web",
                "gw-http",
                2,
                List.of(new ServicePort("http", Protocol.TCP, 8080)),
                List.of(Endpoint.ready(InetAddress.ofLiteral("10.1.0.1"))));
        var service = new ServiceExport("shop", "web", List.of(HTTP), Map.of(), Optional.empty(), Instant.EPOCH);
        var view = new ClusterView(
                WEST,
                new ClusterStatus(true, false, Optional.empty(), 1),
                Map.of(service.key(), service),
                Map.of(slice.key(), slice),
                Map.of());

        assertThat(MeshRecords.remoteExports(view))
                .singleElement()
                .satisfies(r -> assertThat(r.endpoints()).isEmpty());
    }

    @Test
    void aClustersTunnelEndpointsAreItsGatewaysIpv4AddressesInNodeOrder() throws Exception {
        var status = new ClusterStatus(true, true, Optional.empty(), 1);
        var gateways = Map.of(
                new io.meshgw.mesh.state.GatewayKey("west-node-2"),
                new io.meshgw.mesh.state.GatewayAddress("west-node-2", List.of(InetAddress.getByName("172.16.9.6"))),
                new io.meshgw.mesh.state.GatewayKey("west-node-1"),
                new io.meshgw.mesh.state.GatewayAddress(
                        "west-node-1", List.of(InetAddress.getByName("fd00::2"), InetAddress.getByName("172.16.9.2"))));
        var view = new ClusterView(WEST, status, Map.of(), Map.of(), gateways);
        assertThat(MeshRecords.tunnelEndpoints(view))
                .containsExactly((java.net.Inet4Address) InetAddress.getByName("172.16.9.2"), (java.net.Inet4Address)
                        InetAddress.getByName("172.16.9.6"));
        assertThat(MeshRecords.tunnelEndpoints(new ClusterView(WEST, status, Map.of(), Map.of(), Map.of())))
                .as("a cluster that publishes no gateway is routed plainly")
                .isEmpty();
    }

    /**
     * East's process killed: its heartbeats stop and west marks it unavailable after a few seconds, while east's pinned
     * datapath still tunnels its flows to west. West keeps east's endpoint until east is forgotten, or it would drop
     * those flows' packets as from an unknown peer.
     */
    @Test
    void anUnavailableClusterKeepsItsTunnelEndpointUntilItIsForgotten() throws Exception {
        var silent = new ClusterStatus(true, false, Optional.of(java.time.Duration.ofSeconds(5)), 1);
        var gateways = Map.of(
                new io.meshgw.mesh.state.GatewayKey("east-node-1"),
                new io.meshgw.mesh.state.GatewayAddress("east-node-1", List.of(InetAddress.getByName("172.16.9.1"))));
        var east = new ClusterView(EAST, silent, Map.of(), Map.of(), gateways);
        var snapshot = new io.meshgw.mesh.view.MeshSnapshot(1, Instant.EPOCH, Map.of(EAST.id(), east), true);
        assertThat(MeshRecords.tunnelEndpoints(snapshot, WEST.id()))
                .containsExactly(
                        Map.entry(EAST.id(), List.of((java.net.Inet4Address) InetAddress.getByName("172.16.9.1"))));
        assertThat(MeshRecords.tunnelEndpoints(snapshot, EAST.id()))
                .as("a gateway's own cluster is no peer")
                .isEmpty();
        var forgotten = new io.meshgw.mesh.view.MeshSnapshot(2, Instant.EPOCH, Map.of(), true);
        assertThat(MeshRecords.tunnelEndpoints(forgotten, WEST.id())).isEmpty();
    }

    @Test
    void theGatewaysOwnRecordNamesItsNodeAndTunnelEndpoint() throws Exception {
        var g = MeshRecords.gateway("east-node-1", (java.net.Inet4Address) InetAddress.getByName("172.16.9.1"));
        assertThat(g.key().toString()).contains("east-node-1");
        assertThat(g.addresses()).containsExactly(InetAddress.getByName("172.16.9.1"));
    }

    @Test
    void aGatewayWithATunnelEndpointPublishesItUnderItsNodeOrElseItsClustersName() throws Exception {
        assertThat(MeshService.ownRecords(Optional.of("172.16.9.2"), Optional.empty(), WEST))
                .containsExactly(
                        new io.meshgw.mesh.state.GatewayAddress("west", List.of(InetAddress.getByName("172.16.9.2"))));
        assertThat(MeshService.ownRecords(Optional.of("172.16.9.2"), Optional.of("west-node-1"), WEST))
                .extracting(v -> ((io.meshgw.mesh.state.GatewayAddress) v).node())
                .containsExactly("west-node-1");
        assertThat(MeshService.ownRecords(Optional.empty(), Optional.empty(), WEST))
                .isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> MeshService.ownRecords(Optional.of("west-gw"), Optional.empty(), WEST))
                .hasMessageContaining("meshgw.datapath.tunnel-endpoint is 'west-gw'");
    }
}
