package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.TestRun;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rewrite through bpf_l3/l4_csum_replace, which CHECKSUM_COMPLETE skbs take (they need the
 * kernel's running sum moved too), on the test build that sends every rewrite that way. The
 * results must be the same packets, with checksums recomputed from scratch, as the in-place path
 * gives.
 */
class ChecksumHelperPathIT {

    static final int TC_ACT_OK = 0;
    static final String VIP = "198.51.100.10";
    static final String CLIENT = "192.0.2.5";

    static Datapath dp;

    @BeforeAll
    static void load() {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF programs needs root (CAP_BPF)");
        dp = Datapath.open(DatapathOptions.detached(), "tc_mgw_csum_helpers");
        dp.apply(TranslationTable.EMPTY
                .withServices(List.of(
                        new ServiceTranslation(
                                Ipv4.parse(VIP),
                                80,
                                Protocol.TCP,
                                100,
                                List.of(new Backend(Ipv4.parse("10.1.0.10"), 8080, 1, true))),
                        new ServiceTranslation(
                                Ipv4.parse(VIP),
                                53,
                                Protocol.UDP,
                                100,
                                List.of(new Backend(Ipv4.parse("10.1.0.10"), 5353, 1, true)))))
                .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.1.0.0/24"), 7)))
                .withEgress(List.of(new EgressTranslation(
                        7, Ipv4.parse("203.0.113.7"), 40000, 40099, List.of(Ipv4Prefix.parse("192.0.2.0/24"))))));
    }

    @AfterAll
    static void close() {
        if (dp != null) {
            dp.close();
        }
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
