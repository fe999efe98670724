package io.meshgw.bpf.datapath;

import static io.meshgw.bpf.datapath.Ipv6ProgramIT.BACKEND6_A;
import static io.meshgw.bpf.datapath.Ipv6ProgramIT.CLIENT6;
import static io.meshgw.bpf.datapath.Ipv6ProgramIT.VIP6;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICMPv6 errors about translated IPv6 flows, through BPF_PROG_TEST_RUN (the twin of {@link IcmpErrorIT}): the quoted
 * packet and the outer header are translated like the flow's packets, the ICMPv6 checksum (pseudo-header included)
 * and the quoted L4 checksum are recomputed from scratch, and errors about anything else pass untouched.
 */
class Icmp6ErrorIT extends DetachedDatapath {

    static final String CLUSTER_ROUTER6 = "fd00:1::1";
    static final String LEGACY_ROUTER6 = "2001:db8:2::fe";

    @BeforeEach
    void reset() {
        dp.apply(Ipv6ProgramIT.dualStack().withEgress(List.of()).withIdentities(List.of()));
        dp.clearConntrack();
    }

    TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    byte[] translated(String program, byte[] frame) {
        TestRun.Result r = run(program, frame);
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        return r.packetOut();
    }

    Icmp6ErrorFrame translatedError(String program, Icmp6ErrorFrame error) {
        long before = count(Counter.ICMP_ERROR);
        TestRun.Result r = run(program, error.frame());
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(count(Counter.ICMP_ERROR)).isEqualTo(before + 1);
        Icmp6ErrorFrame out = new Icmp6ErrorFrame(r.packetOut());
        assertThat(out.checksumValid())
                .as("the ICMPv6 checksum over its pseudo-header and the quoted bytes")
                .isTrue();
        return out;
    }

    @Test
    void aBackendsPortUnreachableReachesTheClientFromTheVipAboutTheVip() {
        byte[] toBackend = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.udp(CLIENT6, 45000, VIP6, 53).frame());
        Icmp6ErrorFrame fromBackend = translatedError(
                Datapath.FROM_CLUSTER,
                Icmp6ErrorFrame.of(
                        Icmp6ErrorFrame.DEST_UNREACH,
                        Icmp6ErrorFrame.PORT_UNREACH,
                        0,
                        BACKEND6_A,
                        CLIENT6,
                        toBackend,
                        toBackend.length));
        assertThat(fromBackend.outerSrc())
                .as("sent by the backend: it comes from the VIP")
                .isEqualTo(VIP6);
        assertThat(fromBackend.outerDst()).isEqualTo(CLIENT6);
        assertThat(fromBackend.quotedSrc()).isEqualTo("[" + CLIENT6 + "]:45000");
        assertThat(fromBackend.quotedDst()).isEqualTo("[" + VIP6 + "]:53");
        assertThat(fromBackend.quotedL4ChecksumValid()).isTrue();
    }

    @Test
    void aClusterRoutersPacketTooBigReachesTheClientAboutTheVipFromTheRouter() {
        byte[] toBackend = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40000, VIP6, 80).frame());
        Icmp6ErrorFrame fromRouter = translatedError(
                Datapath.FROM_CLUSTER, Icmp6ErrorFrame.packetTooBig(CLUSTER_ROUTER6, CLIENT6, toBackend, 1280));
        assertThat(fromRouter.outerSrc()).as("a router's own address stays").isEqualTo(CLUSTER_ROUTER6);
        assertThat(fromRouter.outerDst()).isEqualTo(CLIENT6);
        assertThat(fromRouter.quotedDst()).isEqualTo("[" + VIP6 + "]:80");
        assertThat(fromRouter.quotedL4ChecksumValid()).isTrue();

        Icmp6ErrorFrame minimal = translatedError(
                Datapath.FROM_CLUSTER,
                Icmp6ErrorFrame.of(Icmp6ErrorFrame.TIME_EXCEEDED, 0, 0, CLUSTER_ROUTER6, CLIENT6, toBackend, 40 + 8));
        assertThat(minimal.quotedDst())
                .as("8 bytes of TCP are enough; its checksum is not among them")
                .isEqualTo("[" + VIP6 + "]:80");
    }

    @Test
    void aLegacyRoutersErrorAboutAReplyReachesTheBackend() {
        byte[] toBackend = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.udp(CLIENT6, 45001, VIP6, 53).frame());
        assertThat(SyntheticPacket6.parse(toBackend).dst()).isEqualTo("[" + BACKEND6_A + "]:5353");
        byte[] replyOnTheLegacySide = translated(
                Datapath.FROM_CLUSTER,
                SyntheticPacket6.udp(BACKEND6_A, 5353, CLIENT6, 45001).frame());
        Icmp6ErrorFrame error = translatedError(
                Datapath.FROM_LEGACY,
                Icmp6ErrorFrame.of(
                        Icmp6ErrorFrame.DEST_UNREACH,
                        0,
                        0,
                        LEGACY_ROUTER6,
                        VIP6,
                        replyOnTheLegacySide,
                        replyOnTheLegacySide.length));
        assertThat(error.outerDst())
                .as("sent to the VIP: it goes to the backend")
                .isEqualTo(BACKEND6_A);
        assertThat(error.outerSrc()).isEqualTo(LEGACY_ROUTER6);
        assertThat(error.quotedSrc()).isEqualTo("[" + BACKEND6_A + "]:5353");
        assertThat(error.quotedDst()).isEqualTo("[" + CLIENT6 + "]:45001");
        assertThat(error.quotedL4ChecksumValid()).isTrue();
    }

    @Test
    void packetTooBigTheGatewayItselfSendsTowardTheDatacenterIsTranslatedOnTheWayOut() {
        byte[] toBackend = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40001, VIP6, 80).frame());
        Icmp6ErrorFrame error = translatedError(
                Datapath.TO_LEGACY, Icmp6ErrorFrame.packetTooBig("2001:db8:2::1", CLIENT6, toBackend, 1280));
        assertThat(error.outerSrc()).isEqualTo("2001:db8:2::1");
        assertThat(error.quotedDst()).isEqualTo("[" + VIP6 + "]:80");
        assertThat(error.quotedL4ChecksumValid()).isTrue();
    }

    @Test
    void icmpv6ThatIsNotAnErrorAboutOurFlowsPassesUntouched() {
        byte[] unknownFlow =
                SyntheticPacket6.tcp(CLIENT6, 1234, "2001:db8:100::99", 80).frame();
        byte[] echo = Icmp6ErrorFrame.of(Icmp6ErrorFrame.ECHO_REQUEST, 0, 0x00010001, CLIENT6, VIP6, unknownFlow, 48)
                .frame();
        byte[] aboutNoFlow = Icmp6ErrorFrame.packetTooBig(CLUSTER_ROUTER6, CLIENT6, unknownFlow, 1280)
                .frame();
        long pass = count(Counter.PASS);
        for (byte[] frame : List.of(echo, aboutNoFlow)) {
            for (String program : List.of(Datapath.FROM_LEGACY, Datapath.FROM_CLUSTER, Datapath.TO_LEGACY)) {
                TestRun.Result r = run(program, frame);
                assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
                assertThat(r.packetOut()).isEqualTo(frame);
            }
        }
        assertThat(count(Counter.PASS)).as("counted once per ingress program").isEqualTo(pass + 4);
    }

    @Test
    void cutShortIcmpv6ErrorsAreNeverMisreadAndAreCounted() {
        byte[] toBackend = translated(
                Datapath.FROM_LEGACY,
                SyntheticPacket6.tcp(CLIENT6, 40002, VIP6, 80).frame());
        long malformed = count(Counter.MALFORMED);
        int cut = 0;
        // Ethernet + IPv6 + the ICMPv6 header, up to one byte short of the quoted IPv6 header and 8 bytes of TCP.
        for (int len = 14 + 40 + 8; len < 14 + 40 + 8 + 40 + 8; len++) {
            Icmp6ErrorFrame short_ = Icmp6ErrorFrame.of(
                    Icmp6ErrorFrame.PACKET_TOO_BIG, 0, 1280, CLUSTER_ROUTER6, CLIENT6, toBackend, len - 14 - 48);
            TestRun.Result r = run(Datapath.FROM_CLUSTER, short_.frame());
            assertThat(r.retval()).as("quoting %d bytes", len - 62).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).isEqualTo(short_.frame());
            cut++;
        }
        byte[] padded = Arrays.copyOf(
                Icmp6ErrorFrame.of(Icmp6ErrorFrame.PACKET_TOO_BIG, 0, 1280, CLUSTER_ROUTER6, CLIENT6, toBackend, 44)
                        .frame(),
                14 + 40 + 8 + 40 + 8);
        TestRun.Result r = run(Datapath.FROM_CLUSTER, padded);
        assertThat(r.retval())
                .as("ports past the payload length are link-layer padding, not the error's")
                .isEqualTo(TC_ACT_UNSPEC);
        assertThat(count(Counter.MALFORMED)).isEqualTo(malformed + cut + 1);
    }
}
