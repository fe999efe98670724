package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    // ---- the sending end, through the host's own route to a far peer -----------------------------------------

    static final int TC_ACT_REDIRECT = 7;
    /** A peer gateway beyond the host's default route (RFC 2544's benchmark range). */
    static final String FAR_PEER = "198.18.0.2";

    /** The interface the host's route to {@link #FAR_PEER} leaves by, or null (the test then cannot run). */
    static String routeDevice() {
        try {
            Process p = new ProcessBuilder("ip", "route", "get", FAR_PEER)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            var m = java.util.regex.Pattern.compile(" dev (\\S+)").matcher(out);
            return p.exitValue() == 0 && m.find() ? m.group(1) : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void remoteBackendBehind(String peer) {
        dp.apply(TranslationTable.EMPTY.withServices(java.util.List.of(
                new ServiceTranslation(
                        Ipv4.parse(VIP),
                        80,
                        io.meshgw.types.Protocol.TCP,
                        100,
                        java.util.List.of(new Backend(Ipv4.parse(BACKEND), 8080, 3, false))),
                new ServiceTranslation(
                        Ipv4.parse(VIP),
                        53,
                        io.meshgw.types.Protocol.UDP,
                        100,
                        java.util.List.of(new Backend(Ipv4.parse(BACKEND), 5353, 3, false))))));
        dp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(SELF)), Map.of(3, Ipv4.parse(peer))));
    }

    /**
     * A flow the peer relays here for a backend on an ordinary node goes on to that node in IPIP, untouched inside, so
     * the node role there returns its replies here and from here through the tunnel.
     */
    @Test
    void aRelayedFlowForABackendOnAnOrdinaryNodeGoesOnToThatNodeInIpip() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                routeDevice() != null, "the host has no route to " + FAR_PEER + " to send the tunnel by");
        dp.applySteering(new SteeringTable(Set.of(), Map.of(), Map.of(Ipv4.parse(BACKEND), Ipv4.parse(FAR_PEER))));
        try {
            long toNode = count(Counter.BACKEND_NODE);
            TestRun.Result r = run(Datapath.FROM_LEGACY, SyntheticPacket.ipip(PEER, SELF, inner()));
            assertThat(r.retval()).as("redirected to the route's interface").isEqualTo(TC_ACT_REDIRECT);
            byte[] f = r.packetOut();
            assertThat(f[23]).as("protocol 4").isEqualTo((byte) 4);
            assertThat(Arrays.copyOfRange(f, 26, 30)).isEqualTo(Ipv4.parse(SELF).getAddress());
            assertThat(Arrays.copyOfRange(f, 30, 34))
                    .as("to the node")
                    .isEqualTo(Ipv4.parse(FAR_PEER).getAddress());
            assertThat(Arrays.copyOfRange(f, 34, f.length))
                    .as("the client's packet as the peer sent it")
                    .isEqualTo(Arrays.copyOfRange(inner(), 14, inner().length));
            assertThat(count(Counter.BACKEND_NODE)).isEqualTo(toNode + 1);
            assertThat(dp.conntrack(10))
                    .extracting(ConntrackEntry::kind)
                    .as("the replies the node returns go back to the peer")
                    .contains(ConntrackEntry.Kind.TUNNEL_REPLY);
        } finally {
            dp.applySteering(SteeringTable.NONE);
        }
    }

    @Test
    void aFlowToABackendOfAnotherClusterLeavesTranslatedInsideIpipToThatClustersGateway() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                routeDevice() != null, "the host has no route to " + FAR_PEER + " to send the tunnel by");
        remoteBackendBehind(FAR_PEER);
        long out = count(Counter.TUNNEL_OUT);
        byte[] in = SyntheticPacket.tcp(CLIENT, 40000, VIP, 80).frame();
        TestRun.Result r = run(Datapath.FROM_LEGACY, in);

        assertThat(r.retval()).as("redirected to the route's interface").isEqualTo(TC_ACT_REDIRECT);
        byte[] f = r.packetOut();
        assertThat(f.length).isEqualTo(in.length + 20);
        assertThat(f[14]).as("IPv4, no options").isEqualTo((byte) 0x45);
        assertThat(f[23]).as("protocol 4").isEqualTo((byte) 4);
        assertThat(((f[16] & 0xff) << 8) | (f[17] & 0xff)).isEqualTo(f.length - 14);
        assertThat(f[20] & 0x40).as("DF, copied from the inner header").isEqualTo(0x40);
        assertThat(f[22] & 0xff).as("TTL").isEqualTo(64);
        assertThat(Arrays.copyOfRange(f, 26, 30)).isEqualTo(Ipv4.parse(SELF).getAddress());
        assertThat(Arrays.copyOfRange(f, 30, 34)).isEqualTo(Ipv4.parse(FAR_PEER).getAddress());
        assertThat(SyntheticPacket.checksum(f, 14, 20, 0)).as("outer checksum").isZero();
        byte[] inner = new byte[f.length - 20];
        System.arraycopy(f, 0, inner, 0, 14);
        System.arraycopy(f, 34, inner, 14, f.length - 34);
        SyntheticPacket p = SyntheticPacket.parse(inner);
        assertThat(p.src()).isEqualTo(CLIENT + ":40000");
        assertThat(p.dst()).as("translated before it was tunnelled").isEqualTo(BACKEND + ":8080");
        assertThat(SyntheticPacket.checksumsValid(inner)).isTrue();
        assertThat(count(Counter.TUNNEL_OUT)).isEqualTo(out + 1);
    }

    @Test
    void aPacketWithDfTooLargeForTheTunnelBecomesFragmentationNeededWithTheMtuLessTwentyBackToItsSender()
            throws Exception {
        String dev = routeDevice();
        org.junit.jupiter.api.Assumptions.assumeTrue(
                dev != null, "the host has no route to " + FAR_PEER + " to send the tunnel by");
        int mtu = Integer.parseInt(java.nio.file.Files.readString(java.nio.file.Path.of("/sys/class/net", dev, "mtu"))
                .strip());
        remoteBackendBehind(FAR_PEER);
        long drops = count(Counter.DROP_TUNNEL_MTU);
        // An IPv4 packet 10 bytes below the route's MTU: it fits the link, not the link less the outer header.
        byte[] payload = new byte[mtu - 10 - 20 - 8];
        byte[] in = new SyntheticPacket(
                        SyntheticPacket.ip(CLIENT), SyntheticPacket.ip(VIP), 40000, 53, SyntheticPacket.UDP, payload)
                .frame();
        TestRun.Result r = run(Datapath.FROM_LEGACY, in);

        assertThat(r.retval()).as("sent back out the way it came").isEqualTo(TC_ACT_REDIRECT);
        byte[] f = r.packetOut();
        assertThat(f.length).isEqualTo(14 + 20 + 8 + 28);
        assertThat(Arrays.copyOfRange(f, 0, 6)).as("to the hop it came from").isEqualTo(Arrays.copyOfRange(in, 6, 12));
        assertThat(Arrays.copyOfRange(f, 6, 12)).isEqualTo(Arrays.copyOfRange(in, 0, 6));
        assertThat(f[23]).as("ICMP").isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(f, 26, 30)).isEqualTo(Ipv4.parse(SELF).getAddress());
        assertThat(Arrays.copyOfRange(f, 30, 34)).isEqualTo(Ipv4.parse(CLIENT).getAddress());
        assertThat(SyntheticPacket.checksum(f, 14, 20, 0)).as("IPv4 checksum").isZero();
        assertThat(f[34]).as("destination unreachable").isEqualTo((byte) 3);
        assertThat(f[35]).as("fragmentation needed").isEqualTo((byte) 4);
        assertThat(((f[40] & 0xff) << 8) | (f[41] & 0xff))
                .as("next-hop MTU: the route's less the outer header")
                .isEqualTo(mtu - 20);
        assertThat(SyntheticPacket.checksum(f, 34, 36, 0)).as("ICMP checksum").isZero();
        assertThat(Arrays.copyOfRange(f, 42, 70))
                .as("the packet's IPv4 header and 8 bytes, as its sender sent it (to the VIP)")
                .isEqualTo(Arrays.copyOfRange(in, 14, 42));
        assertThat(count(Counter.DROP_TUNNEL_MTU)).isEqualTo(drops + 1);
    }
}
