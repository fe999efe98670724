package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** mgw_tun_v1 and mgw_peer_v1 as a TunnelTable fills them. */
class TunnelTableTest {

    static final Optional<java.net.Inet4Address> EAST = Optional.of(Ipv4.parse("172.16.9.1"));

    @Test
    void slotZeroIsThisGatewaysEndpointAndEachClusterIdItsGateways() {
        var t = new TunnelTable(EAST, Map.of(2, Ipv4.parse("172.16.9.2"), 4095, Ipv4.parse("10.9.9.9")));
        assertThat(t.slots())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        0, 0xac100901,
                        2, 0xac100902,
                        4095, 0x0a090909));
        assertThat(t.peers()).containsExactlyInAnyOrderEntriesOf(Map.of(0xac100902, 2, 0x0a090909, 4095));
    }

    /** Each gateway node of a cluster tunnels what it translates: all are accepted, one is tunnelled to. */
    @Test
    void theOtherGatewayNodesOfAClusterAreAcceptedButNotTunnelledTo() {
        var t = new TunnelTable(
                EAST,
                Map.of(2, Ipv4.parse("172.16.9.2")),
                Map.of(2, java.util.Set.of(Ipv4.parse("172.16.9.2"), Ipv4.parse("10.2.0.2"))));
        assertThat(t.slots()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 0xac100901, 2, 0xac100902));
        assertThat(t.peers()).containsExactlyInAnyOrderEntriesOf(Map.of(0xac100902, 2, 0x0a020002, 2));
        assertThat(t.alsoFrom()).containsExactly(Map.entry(2, java.util.Set.of(Ipv4.parse("10.2.0.2"))));

        assertThatThrownBy(() -> new TunnelTable(
                        EAST,
                        Map.of(2, Ipv4.parse("172.16.9.2"), 3, Ipv4.parse("172.16.9.3")),
                        Map.of(3, java.util.Set.of(Ipv4.parse("172.16.9.2")))))
                .hasMessageContaining("clusters 2 and 3 both give 172.16.9.2");
        assertThatThrownBy(() -> new TunnelTable(
                        EAST,
                        Map.of(2, Ipv4.parse("172.16.9.2")),
                        Map.of(2, java.util.Set.of(Ipv4.parse("172.16.9.1")))))
                .hasMessageContaining("this gateway's own");
        assertThatThrownBy(() -> new TunnelTable(
                        EAST, Map.of(2, Ipv4.parse("172.16.9.2")), Map.of(3, java.util.Set.of(Ipv4.parse("10.3.0.3")))))
                .hasMessageContaining("cluster 3 has endpoints to accept from but none to tunnel to");
    }

    @Test
    void theEndpointsAreWrittenInNetworkByteOrder() {
        var segment = java.lang.foreign.Arena.ofAuto().allocate(4);
        MapCodecs.ADDRESS.write(0xac100902, segment, 0);
        assertThat(segment.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .containsExactly((byte) 172, (byte) 16, (byte) 9, (byte) 2);
        assertThat(MapCodecs.ADDRESS.read(segment, 0)).isEqualTo(0xac100902);
    }

    @Test
    void withoutALocalEndpointNothingIsWrittenSoEveryBackendIsRoutedPlainly() {
        var t = new TunnelTable(Optional.empty(), Map.of(2, Ipv4.parse("172.16.9.2")));
        assertThat(t.slots()).isEmpty();
        assertThat(t.peers()).isEmpty();
    }

    @Test
    void anEndpointThatCannotNameOneClusterIsRefused() {
        assertThatThrownBy(() -> new TunnelTable(EAST, Map.of(2, Ipv4.parse("172.16.9.1"))))
                .hasMessageContaining("this gateway's own");
        assertThatThrownBy(
                        () -> new TunnelTable(EAST, Map.of(2, Ipv4.parse("172.16.9.9"), 3, Ipv4.parse("172.16.9.9"))))
                .hasMessageContaining("clusters 2 and 3 both give 172.16.9.9");
        assertThatThrownBy(() -> new TunnelTable(EAST, Map.of(4096, Ipv4.parse("172.16.9.2"))))
                .hasMessageContaining("cluster id 4096");
        assertThatThrownBy(() -> new TunnelTable(EAST, Map.of(0, Ipv4.parse("172.16.9.2"))))
                .hasMessageContaining("cluster id 0");
    }
}
