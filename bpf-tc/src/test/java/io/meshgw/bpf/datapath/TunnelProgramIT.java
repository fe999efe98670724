package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving end of the tunnel between gateways with {@code BPF_PROG_TEST_RUN}: which IPIP packets are
 * decapsulated, and what is recorded for the replies. This gateway is 172.16.9.2 (cluster 2); its peer, cluster 1's
 * gateway, is 172.16.9.1.
 */
class TunnelProgramIT extends DetachedDatapath {

    static final String SELF = "172.16.9.2";
    static final String PEER = "172.16.9.1";
    static final TunnelTable TUNNELS = new TunnelTable(Optional.of(Ipv4.parse(SELF)), Map.of(1, Ipv4.parse(PEER)));

    @BeforeEach
    void reset() {
        dp.apply(TranslationTable.EMPTY);
        dp.applyTunnels(TUNNELS);
        dp.clearConntrack();
    }

    TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    static byte[] inner() {
        return SyntheticPacket.tcp(CLIENT, 40000, BACKEND, 8080).frame();
    }

    @Test
    void ipipFromThePeerGatewayIsDecapsulatedOnEitherSideAndItsFlowRecordedForTheReplies() {
        for (String program : new String[] {Datapath.FROM_CLUSTER, Datapath.FROM_LEGACY}) {
            dp.clearConntrack();
            long in = count(Counter.TUNNEL_IN);
            TestRun.Result r = run(program, SyntheticPacket.ipip(PEER, SELF, inner()));
            assertThat(r.retval()).as(program).isEqualTo(TC_ACT_OK);
            assertThat(Arrays.copyOfRange(r.packetOut(), 12, r.packetOut().length))
                    .as("the client's packet as the peer sent it, behind the same Ethernet header")
                    .isEqualTo(Arrays.copyOfRange(inner(), 12, inner().length));
            assertThat(count(Counter.TUNNEL_IN)).isEqualTo(in + 1);
            assertThat(dp.conntrack(10))
                    .extracting(ConntrackEntry::kind, ConntrackEntry::translatedTo)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ConntrackEntry.Kind.TUNNEL_IN, PEER + ":0"),
                            org.assertj.core.groups.Tuple.tuple(ConntrackEntry.Kind.TUNNEL_REPLY, PEER + ":0"));
        }
    }

    @Test
    void ipipToThisGatewayFromAnySourceButAPeerIsDroppedAndCounted() {
        long dropped = count(Counter.DROP_TUNNEL_PEER);
        long in = count(Counter.TUNNEL_IN);
        for (String program : new String[] {Datapath.FROM_CLUSTER, Datapath.FROM_LEGACY}) {
            assertThat(run(program, SyntheticPacket.ipip("172.16.9.9", SELF, inner()))
                            .retval())
                    .isEqualTo(TC_ACT_SHOT);
        }
        assertThat(count(Counter.DROP_TUNNEL_PEER)).isEqualTo(dropped + 2);
        assertThat(count(Counter.TUNNEL_IN)).isEqualTo(in);
        assertThat(dp.conntrack(10)).isEmpty();
    }

    @Test
    void ipipToAnotherAddressIsNotOursAndPassesUntouched() {
        byte[] transit = SyntheticPacket.ipip(PEER, "172.16.9.7", inner());
        TestRun.Result r = run(Datapath.FROM_CLUSTER, transit);
        assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
        assertThat(r.packetOut()).isEqualTo(transit);
    }

    @Test
    void aGatewayWithoutAnEndpointDecapsulatesNothing() {
        dp.applyTunnels(TunnelTable.NONE);
        long dropped = count(Counter.DROP_TUNNEL_PEER);
        byte[] frame = SyntheticPacket.ipip(PEER, SELF, inner());
        TestRun.Result r = run(Datapath.FROM_CLUSTER, frame);
        assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
        assertThat(r.packetOut()).isEqualTo(frame);
        assertThat(count(Counter.DROP_TUNNEL_PEER)).isEqualTo(dropped);
    }

    @Test
    void anOuterHeaderWithOptionsOrFragmentedIsDroppedAsMalformed() {
        byte[] fragment = SyntheticPacket.ipip(PEER, SELF, inner());
        fragment[14 + 6] = 0x20; // MF
        long malformed = count(Counter.MALFORMED);
        assertThat(run(Datapath.FROM_CLUSTER, fragment).retval()).isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.MALFORMED)).isEqualTo(malformed + 1);
    }
}
