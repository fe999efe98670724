package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.datapath.Ipv4;
import io.meshgw.bpf.datapath.TunnelTable;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TunnelsTest {

    private static final Optional<java.net.Inet4Address> EAST = Optional.of(Ipv4.parse("172.16.9.1"));

    @Test
    void eachClusterThatPublishesAnEndpointIsTunnelledTo() {
        var planned = Tunnels.plan(EAST, Map.of(2, Ipv4.parse("172.16.9.2"), 3, Ipv4.parse("172.16.9.3")));
        assertThat(planned.table())
                .isEqualTo(new TunnelTable(EAST, Map.of(2, Ipv4.parse("172.16.9.2"), 3, Ipv4.parse("172.16.9.3"))));
        assertThat(planned.warnings()).isEmpty();
    }

    @Test
    void withoutAnEndpointOfItsOwnTheGatewayTunnelsNothing() {
        assertThat(Tunnels.plan(Optional.empty(), Map.of(2, Ipv4.parse("172.16.9.2")))
                        .table())
                .isEqualTo(TunnelTable.NONE);
    }

    @Test
    void aClusterPublishingThisGatewaysOwnEndpointIsRoutedPlainlyWithAWarning() {
        var planned = Tunnels.plan(EAST, Map.of(2, Ipv4.parse("172.16.9.1"), 3, Ipv4.parse("172.16.9.3")));
        assertThat(planned.table().remotes()).containsOnlyKeys(3);
        assertThat(planned.warnings()).singleElement().asString().contains("[2]", "own tunnel endpoint 172.16.9.1");
    }

    @Test
    void twoClustersPublishingOneEndpointAreBothLeftOutSinceTheirPacketsCouldNotBeToldApart() {
        var planned = Tunnels.plan(
                EAST, Map.of(2, Ipv4.parse("172.16.9.9"), 3, Ipv4.parse("172.16.9.9"), 4, Ipv4.parse("172.16.9.4")));
        assertThat(planned.table().remotes()).containsOnlyKeys(4);
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
