package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors about translated flows, through BPF_PROG_TEST_RUN: the quoted packet and the outer
 * header are translated like the flow's packets, every checksum is recomputed from scratch to
 * check the programs' incremental updates, and errors about anything else pass untouched.
 */
class IcmpErrorIT extends DetachedDatapath {

    /**
     * A router in the clusters, outside the pods' identity prefix: ICMP the datapath does not translate from a
     * restricted pod toward its legacy destinations is dropped (DatapathEdgesIT), from a router it passes.
     */
    static final String CLUSTER_ROUTER = "10.2.0.1";

    @BeforeEach
    void reset() {
        dp.apply(webDnsAndEgress(40099));
        dp.clearConntrack();
    }

    TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    /** The packet a flow's first packet becomes on the far side of the gateway. */
    byte[] translated(String program, SyntheticPacket p) {
        TestRun.Result r = run(program, p.frame());
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        return r.packetOut();
    }

    IcmpErrorFrame translatedError(String program, IcmpErrorFrame error) {
        long before = count(Counter.ICMP_ERROR);
        TestRun.Result r = run(program, error.frame());
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(count(Counter.ICMP_ERROR)).isEqualTo(before + 1);
        IcmpErrorFrame out = new IcmpErrorFrame(r.packetOut());
        assertThat(out.checksumsValid())
                .as("outer IPv4, ICMP and quoted IPv4 checksums")
                .isTrue();
        return out;
    }

    @Test
    void anErrorFromTheBackendSideAboutADnatFlowReachesTheClientAboutTheVip() {
        byte[] toBackend = translated(Datapath.FROM_LEGACY, SyntheticPacket.udp(CLIENT, 45000, VIP, 53));
        IcmpErrorFrame fromBackend = translatedError(
                Datapath.FROM_CLUSTER,
                IcmpErrorFrame.of(
                        IcmpErrorFrame.DEST_UNREACH,
                        IcmpErrorFrame.PORT_UNREACH,
                        0,
                        BACKEND,
                        CLIENT,
                        toBackend,
                        toBackend.length));
        assertThat(fromBackend.outerSrc())
                .as("sent by the backend: it comes from the VIP")
                .isEqualTo(VIP);
        assertThat(fromBackend.outerDst()).isEqualTo(CLIENT);
        assertThat(fromBackend.quotedSrc()).isEqualTo(CLIENT + ":45000");
        assertThat(fromBackend.quotedDst()).isEqualTo(VIP + ":53");
        assertThat(fromBackend.quotedL4ChecksumValid()).isTrue();

        byte[] tcpToBackend = translated(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 40000, VIP, 80));
        IcmpErrorFrame fromRouter = translatedError(
                Datapath.FROM_CLUSTER, IcmpErrorFrame.fragNeeded("10.1.0.1", CLIENT, tcpToBackend, 1280));
        assertThat(fromRouter.outerSrc()).as("a router's own address stays").isEqualTo("10.1.0.1");
        assertThat(fromRouter.quotedDst()).isEqualTo(VIP + ":80");
        assertThat(fromRouter.quotedL4ChecksumValid()).isTrue();

        IcmpErrorFrame minimal = translatedError(
                Datapath.FROM_CLUSTER,
                IcmpErrorFrame.of(IcmpErrorFrame.TIME_EXCEEDED, 0, 0, "10.1.0.1", CLIENT, tcpToBackend, 20 + 8));
        assertThat(minimal.quotedDst())
                .as("RFC 792's 8 bytes are enough; the TCP checksum is not among them")
                .isEqualTo(VIP + ":80");
    }

    @Test
    void anErrorFromTheLegacySideAboutAnSnatFlowReachesThePod() {
        SyntheticPacket out =
                SyntheticPacket.parse(translated(Datapath.FROM_CLUSTER, SyntheticPacket.tcp(POD, 5555, CLIENT, 443)));
        byte[] onTheWire = out.frame();
        IcmpErrorFrame error = translatedError(
                Datapath.FROM_LEGACY, IcmpErrorFrame.fragNeeded("192.0.2.254", EGRESS, onTheWire, 1400));
        assertThat(error.outerDst())
                .as("sent to the egress address: it goes to the pod")
                .isEqualTo(POD);
        assertThat(error.outerSrc()).isEqualTo("192.0.2.254");
        assertThat(error.quotedSrc()).isEqualTo(POD + ":5555");
        assertThat(error.quotedDst()).isEqualTo(CLIENT + ":443");
        assertThat(error.quotedL4ChecksumValid()).isTrue();
    }

    @Test
    void errorsTheGatewayItselfSendsTowardTheDatacenterAreTranslatedOnTheWayOut() {
        byte[] toBackend = translated(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 40001, VIP, 80));
        IcmpErrorFrame dnat =
                translatedError(Datapath.TO_LEGACY, IcmpErrorFrame.fragNeeded("192.0.2.1", CLIENT, toBackend, 1280));
        assertThat(dnat.outerSrc()).isEqualTo("192.0.2.1");
        assertThat(dnat.quotedDst()).isEqualTo(VIP + ":80");
        assertThat(dnat.quotedL4ChecksumValid()).isTrue();

        SyntheticPacket snat =
                SyntheticPacket.parse(translated(Datapath.FROM_CLUSTER, SyntheticPacket.tcp(POD, 5556, CLIENT, 443)));
        byte[] replyToPod = translated(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 443, EGRESS, snat.sport()));
        IcmpErrorFrame snatReply =
                translatedError(Datapath.TO_LEGACY, IcmpErrorFrame.fragNeeded("192.0.2.1", CLIENT, replyToPod, 1280));
        assertThat(snatReply.quotedSrc()).isEqualTo(CLIENT + ":443");
        assertThat(snatReply.quotedDst())
                .as("the legacy host sent to the egress address")
                .isEqualTo(EGRESS + ":" + snat.sport());
        assertThat(snatReply.quotedL4ChecksumValid()).isTrue();
    }

    @Test
    void icmpThatIsNotAnErrorAboutOurFlowsPassesUntouched() {
        byte[] unknownFlow = SyntheticPacket.tcp(CLIENT, 1234, "10.9.9.9", 80).frame();
        byte[] echo = IcmpErrorFrame.of(IcmpErrorFrame.ECHO_REQUEST, 0, 0x00010001, CLIENT, VIP, unknownFlow, 20)
                .frame();
        byte[] aboutIcmp = IcmpErrorFrame.of(IcmpErrorFrame.DEST_UNREACH, 1, 0, CLUSTER_ROUTER, CLIENT, echo, 28)
                .frame();
        byte[] aboutNoFlow = IcmpErrorFrame.fragNeeded(CLUSTER_ROUTER, CLIENT, unknownFlow, 1280)
                .frame();
        long pass = count(Counter.PASS);
        for (byte[] frame : List.of(echo, aboutIcmp, aboutNoFlow)) {
            for (String program : List.of(Datapath.FROM_LEGACY, Datapath.FROM_CLUSTER, Datapath.TO_LEGACY)) {
                TestRun.Result r = run(program, frame);
                assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
                assertThat(r.packetOut()).isEqualTo(frame);
            }
        }
        assertThat(count(Counter.PASS)).as("counted once per ingress program").isEqualTo(pass + 6);
        byte[] plain = SyntheticPacket.tcp(CLIENT, 40000, VIP, 80).frame();
        assertThat(run(Datapath.TO_LEGACY, plain).packetOut())
                .as("egress leaves everything but ICMP errors alone")
                .isEqualTo(plain);
    }

    @Test
    void cutShortOrInconsistentErrorsAreNeverMisreadAndAreCounted() {
        byte[] toBackend = translated(Datapath.FROM_LEGACY, SyntheticPacket.tcp(CLIENT, 40002, VIP, 80));
        IcmpErrorFrame whole = IcmpErrorFrame.fragNeeded(CLUSTER_ROUTER, CLIENT, toBackend, 1280);
        long malformed = count(Counter.MALFORMED);
        int cut = 0;
        // Ethernet + IPv4 (34) up to one byte short of the ICMP header (8), the quoted IPv4
        // header (20) and the quoted 8 bytes of TCP.
        for (int len = 34; len < 14 + 20 + 8 + 20 + 8; len++) {
            byte[] frame = whole.cut(len).frame();
            TestRun.Result r = run(Datapath.FROM_CLUSTER, frame);
            assertThat(r.retval()).as("cut at %d bytes", len).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).as("cut at %d bytes", len).isEqualTo(frame);
            cut++;
        }
        byte[] shortIhl = whole.frame().clone();
        shortIhl[14 + 20 + 8] = 0x44; // quoted IHL 4
        byte[] longIhl = whole.cut(14 + 20 + 8 + 20 + 8).frame();
        longIhl[14 + 20 + 8] = 0x4f; // quoted IHL 15: options the error does not hold
        for (byte[] frame : List.of(shortIhl, longIhl)) {
            TestRun.Result r = run(Datapath.FROM_CLUSTER, frame);
            assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).isEqualTo(frame);
        }
        assertThat(count(Counter.MALFORMED)).isEqualTo(malformed + cut + 2);
    }
}
