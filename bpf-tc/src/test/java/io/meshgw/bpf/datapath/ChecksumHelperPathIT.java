package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rewrite through bpf_l3/l4_csum_replace, which CHECKSUM_COMPLETE skbs take (they need the
 * kernel's running sum moved too), on the test build that sends every rewrite that way. The
 * results must be the same packets, with checksums recomputed from scratch, as the in-place path
 * gives.
 */
class ChecksumHelperPathIT extends DetachedDatapath {

    /** Hides {@link DetachedDatapath#load()}: this class runs the checksum-helper build of the programs. */
    @BeforeAll
    static void load() {
        dp = open("tc_mgw_csum_helpers");
        dp.apply(Ipv6ProgramIT.dualStack());
    }

    static SyntheticPacket6 translate6(String program, byte[] frame) {
        TestRun.Result r = dp.object().testRun(program, frame, 1);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket6.checksumValid(r.packetOut())).isTrue();
        return SyntheticPacket6.parse(r.packetOut());
    }

    @Test
    void ipv6DnatAndItsRepliesThroughTheHelpers() {
        SyntheticPacket6 udp = SyntheticPacket6.udp(Ipv6ProgramIT.CLIENT6, 40000, Ipv6ProgramIT.VIP6, 53);
        assertThat(translate6(Datapath.FROM_LEGACY, udp.frame()).dst()).isEqualTo("[fd00:1::10]:5353");
        assertThat(translate6(
                                Datapath.FROM_CLUSTER,
                                SyntheticPacket6.udp("fd00:1::10", 5353, Ipv6ProgramIT.CLIENT6, 40000)
                                        .frame())
                        .src())
                .isEqualTo("[" + Ipv6ProgramIT.VIP6 + "]:53");
        SyntheticPacket6 tcp = SyntheticPacket6.tcp(Ipv6ProgramIT.CLIENT6, 40001, Ipv6ProgramIT.VIP6, 80);
        assertThat(translate6(Datapath.FROM_LEGACY, tcp.frame()).dst()).startsWith("[fd00:1::1");
        assertThat(translate6(
                                Datapath.FROM_LEGACY,
                                tcp.withTcpFlags(SyntheticPacket.ACK).frame())
                        .dst())
                .startsWith("[fd00:1::1");
    }

    static SyntheticPacket translate(String program, byte[] frame) {
        TestRun.Result r = dp.object().testRun(program, frame, 1);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.checksumsValid(r.packetOut())).isTrue();
        return SyntheticPacket.parse(r.packetOut());
    }

    @Test
    void dnatAndItsRepliesBothWaysNewAndEstablished() {
        SyntheticPacket syn = SyntheticPacket.tcp(CLIENT, 40000, VIP, 80);
        assertThat(translate(Datapath.FROM_LEGACY, syn.frame()).dst()).isEqualTo("10.1.0.10:8080");
        for (int i = 0; i < 3; i++) {
            assertThat(translate(
                                    Datapath.FROM_LEGACY,
                                    syn.withTcpFlags(SyntheticPacket.ACK).frame())
                            .dst())
                    .isEqualTo("10.1.0.10:8080");
            assertThat(translate(
                                    Datapath.FROM_CLUSTER,
                                    SyntheticPacket.tcp("10.1.0.10", 8080, CLIENT, 40000)
                                            .withTcpFlags(SyntheticPacket.ACK)
                                            .frame())
                            .src())
                    .isEqualTo(VIP + ":80");
        }
    }

    /**
     * Replies of flows another gateway translated, adopted without conntrack: TCP, and UDP (whose zero checksum the
     * helpers must keep meaning "none"). The backend's pods are SNATed toward the client's prefix: the reply is taken
     * for one before the egress rule is looked at.
     */
    @Test
    void repliesAdoptedWithoutConntrack() {
        dp.clearConntrack();
        SyntheticPacket tcp = SyntheticPacket.tcp(BACKEND, 8080, CLIENT, 41000).withTcpFlags(SyntheticPacket.ACK);
        assertThat(translate(Datapath.FROM_CLUSTER, tcp.frame()).src()).isEqualTo(VIP + ":80");
        SyntheticPacket udp = SyntheticPacket.udp(BACKEND, 5353, CLIENT, 41000);
        assertThat(translate(Datapath.FROM_CLUSTER, udp.frame()).src()).isEqualTo(VIP + ":53");
        TestRun.Result none = dp.object().testRun(Datapath.FROM_CLUSTER, udp.frame(false), 1);
        assertThat(none.retval()).isEqualTo(TC_ACT_OK);
        assertThat(SyntheticPacket.udpChecksumField(none.packetOut())).isZero();
        assertThat(dp.conntrack(10)).isEmpty();
    }

    @Test
    void snatAndItsReplies() {
        SyntheticPacket out = translate(
                Datapath.FROM_CLUSTER,
                SyntheticPacket.tcp("10.1.0.20", 5555, CLIENT, 443).frame());
        assertThat(Ipv4.format(out.saddr())).isEqualTo("203.0.113.7");
        assertThat(translate(
                                Datapath.FROM_LEGACY,
                                SyntheticPacket.tcp(CLIENT, 443, "203.0.113.7", out.sport())
                                        .frame())
                        .dst())
                .isEqualTo("10.1.0.20:5555");
    }

    @Test
    void udpWithAndWithoutAChecksum() {
        byte[] with = dp.object()
                .testRun(
                        Datapath.FROM_LEGACY,
                        SyntheticPacket.udp(CLIENT, 45000, VIP, 53).frame(true),
                        1)
                .packetOut();
        assertThat(SyntheticPacket.checksumsValid(with)).isTrue();
        assertThat(SyntheticPacket.udpChecksumField(with)).isNotZero();
        byte[] without = dp.object()
                .testRun(
                        Datapath.FROM_LEGACY,
                        SyntheticPacket.udp(CLIENT, 45001, VIP, 53).frame(false),
                        1)
                .packetOut();
        assertThat(SyntheticPacket.parse(without).dst()).isEqualTo("10.1.0.10:5353");
        assertThat(SyntheticPacket.udpChecksumField(without)).isZero();
    }
}
