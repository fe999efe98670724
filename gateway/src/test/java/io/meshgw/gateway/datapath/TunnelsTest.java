package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.Ipv4;
import io.meshgw.bpf.datapath.TunnelTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelsTest {

    private static final Optional<java.net.Inet4Address> EAST = Optional.of(Ipv4.parse("172.16.9.1"));

    @Test
    void eachClusterThatPublishesAnEndpointIsTunnelledTo() {
        var planned =
                Tunnels.plan(EAST, Map.of(2, List.of(Ipv4.parse("172.16.9.2")), 3, List.of(Ipv4.parse("172.16.9.3"))));
        assertThat(planned.table())
                .isEqualTo(new TunnelTable(EAST, Map.of(2, Ipv4.parse("172.16.9.2"), 3, Ipv4.parse("172.16.9.3"))));
        assertThat(planned.warnings()).isEmpty();
    }

    @Test
    void withoutAnEndpointOfItsOwnTheGatewayTunnelsNothing() {
        assertThat(Tunnels.plan(Optional.empty(), Map.of(2, List.of(Ipv4.parse("172.16.9.2"))))
                        .table())
                .isEqualTo(TunnelTable.NONE);
    }

    @Test
    void aClusterPublishingThisGatewaysOwnEndpointIsRoutedPlainlyWithAWarning() {
        var planned =
                Tunnels.plan(EAST, Map.of(2, List.of(Ipv4.parse("172.16.9.1")), 3, List.of(Ipv4.parse("172.16.9.3"))));
        assertThat(planned.table().remotes()).containsOnlyKeys(3);
        assertThat(planned.warnings())
                .containsExactly(
                        "cluster 2 has no tunnel endpoint left; its backends are routed without the tunnel",
                        "cluster 2 publishes this gateway's own tunnel endpoint 172.16.9.1; it is neither tunnelled"
                                + " to nor accepted from");
    }

    @Test
    void twoClustersPublishingOneEndpointAreBothLeftOutSinceTheirPacketsCouldNotBeToldApart() {
        var planned = Tunnels.plan(
                EAST,
                Map.of(
                        2,
                        List.of(Ipv4.parse("172.16.9.9")),
                        3,
                        List.of(Ipv4.parse("172.16.9.9")),
                        4,
                        List.of(Ipv4.parse("172.16.9.4"))));
        assertThat(planned.table().remotes()).containsOnlyKeys(4);
        assertThat(planned.warnings())
                .filteredOn(w -> w.contains("172.16.9.9"))
                .singleElement()
                .asString()
                .contains("[2, 3]");
        assertThat(planned.warnings())
                .filteredOn(w -> w.contains("no tunnel endpoint left"))
                .hasSize(2);
    }

    /**
     * Each gateway node of a cluster tunnels the flows it translates from its own endpoint: all of them are accepted,
     * the first (in the published order, by node name) is tunnelled to. An endpoint another cluster also publishes is
     * left out, and the cluster is tunnelled to through its next one.
     */
    @Test
    void everyGatewayNodeOfAClusterIsAcceptedAndTheFirstIsTunnelledTo() {
        var planned = Tunnels.plan(
                EAST,
                Map.of(
                        2,
                        List.of(Ipv4.parse("172.16.9.9"), Ipv4.parse("172.16.9.2"), Ipv4.parse("10.2.0.2")),
                        3,
                        List.of(Ipv4.parse("172.16.9.9"), Ipv4.parse("172.16.9.3"))));
        assertThat(planned.table())
                .isEqualTo(new TunnelTable(
                        EAST,
                        Map.of(2, Ipv4.parse("172.16.9.2"), 3, Ipv4.parse("172.16.9.3")),
                        Map.of(2, java.util.Set.of(Ipv4.parse("10.2.0.2")))));
        assertThat(planned.warnings()).singleElement().asString().contains("[2, 3]", "172.16.9.9");
    }

    @Test
    void theConfiguredEndpointMustBeAUnicastIpv4Literal() {
        assertThat(Tunnels.endpoint(Optional.of(" 172.16.9.1 "))).isEqualTo(EAST);
        assertThat(Tunnels.endpoint(Optional.empty())).isEmpty();
        assertThatThrownBy(() -> Tunnels.endpoint(Optional.of("gw.example")))
                .hasMessageContaining("meshgw.datapath.tunnel-endpoint is 'gw.example'");
        assertThatThrownBy(() -> Tunnels.endpoint(Optional.of("127.0.0.1")))
                .hasMessageContaining("unicast address of this node");
        assertThatThrownBy(() -> Tunnels.endpoint(Optional.of("0.0.0.0"))).hasMessageContaining("unicast");
    }
}
