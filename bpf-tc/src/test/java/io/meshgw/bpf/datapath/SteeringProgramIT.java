package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.TestRun;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Egress steering with {@code BPF_PROG_TEST_RUN}: what the gateway does with IPIP from this cluster's nodes and with
 * the packets of an identity whose egress address another gateway owns, and what the node role encapsulates. This
 * gateway's endpoint is 10.0.0.1; the node 10.0.0.2.
 */
class SteeringProgramIT extends DetachedDatapath {

    static final String SELF = "10.0.0.1";
    static final String NODE = "10.0.0.2";
    static final String LEGACY = "192.0.2.9";

    static NodeRole node;

    @BeforeAll
    static void loadNodeRole() {
        node = NodeRole.open(NodeRoleOptions.detached());
    }

    @AfterAll
    static void closeNodeRole() {
        if (node != null) {
            node.close();
        }
    }

    @BeforeEach
    void reset() {
        dp.apply(webDnsAndEgress(40999));
        dp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(SELF)), Map.of()));
        dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(NODE)), Map.of()));
        dp.clearConntrack();
        node.apply(new NodeSteering(
                Optional.of(Ipv4.parse(NODE)),
                Map.of(Ipv4.parse(POD), new NodeSteering.Pod(7, Optional.of(Ipv4.parse(SELF)))),
                List.of(Ipv4Prefix.parse("192.0.2.0/24"))));
    }

    static TestRun.Result run(String program, byte[] frame) {
        return dp.object().testRun(program, frame, 1);
    }

    static TestRun.Result runNode(String program, byte[] frame) {
        return node.object().testRun(program, frame, 1);
    }

    static long nodeCount(NodeCounter c) {
        return node.counters().get(c).packets();
    }

    /** ct_val.via_node of the egress reply entries: svc_id's bytes, read in host order by the codec. */
    static List<String> snatReplyVias() {
        return dp
                .object()
                .map(Datapath.EGRESS_CONNTRACK_MAP, MapCodecs.CT_KEY, MapCodecs.CT_VALUE)
                .entries()
                .values()
                .stream()
                .filter(v -> v.dir() == 4)
                .map(v -> Ipv4.format(Integer.reverseBytes(v.svcId())))
                .toList();
    }

    static byte[] podPacket() {
        return SyntheticPacket.tcp(POD, 41000, LEGACY, 443).frame();
    }

    @Test
    void ipipFromANodeIsDecapsulatedAndSnatedWithTheNodeRecordedForTheReplies() {
        long in = count(Counter.NODE_IN);
        TestRun.Result r = run(Datapath.FROM_CLUSTER, SyntheticPacket.ipip(NODE, SELF, podPacket()));
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        SyntheticPacket out = SyntheticPacket.parse(r.packetOut());
        assertThat(Ipv4.format(out.saddr())).as("SNATed to the egress address").isEqualTo(EGRESS);
        assertThat(SyntheticPacket.checksumsValid(r.packetOut())).isTrue();
        assertThat(count(Counter.NODE_IN)).isEqualTo(in + 1);
        assertThat(snatReplyVias()).as("the node the replies go back to").containsExactly(NODE);
    }

    @Test
    void aPodsPacketThatCamePlainlyRecordsNoNode() {
        TestRun.Result r = run(Datapath.FROM_CLUSTER, podPacket());
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(snatReplyVias()).containsExactly("0.0.0.0");
    }

    @Test
    void ipipFromAnAddressThatIsNeitherAPeerNorANodeIsDropped() {
        long dropped = count(Counter.DROP_TUNNEL_PEER);
        for (String program : new String[] {Datapath.FROM_CLUSTER, Datapath.FROM_LEGACY}) {
            assertThat(run(program, SyntheticPacket.ipip("10.0.0.3", SELF, podPacket()))
                            .retval())
                    .isEqualTo(TC_ACT_SHOT);
        }
        assertThat(count(Counter.DROP_TUNNEL_PEER)).isEqualTo(dropped + 2);
        assertThat(dp.conntrack(10)).isEmpty();
    }

    @Test
    void aGatewayThatDoesNotOwnTheEgressAddressNeverSendsThePodsAddressOn() {
        dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(NODE)), Map.of(7, Optional.of(Ipv4.parse("10.0.0.4")))));
        long steered = count(Counter.EGRESS_STEERED);
        TestRun.Result r = run(Datapath.FROM_CLUSTER, podPacket());
        assertThat(count(Counter.EGRESS_STEERED)).isEqualTo(steered + 1);
        assertThat(count(Counter.SNAT_NEW)).as("not translated here").isZero();
        // Without a route to 10.0.0.4 here the encapsulation fails and is counted: either way, nothing leaves as it
        // came (TC_ACT_OK would hand the untranslated packet to the stack).
        assertThat(r.retval()).isNotEqualTo(TC_ACT_OK).isNotEqualTo(TC_ACT_UNSPEC);
    }

    @Test
    void withoutAKnownOwnerThePodsPacketIsDropped() {
        dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(NODE)), Map.of(7, Optional.empty())));
        long dropped = count(Counter.DROP_EGRESS_NO_OWNER);
        assertThat(run(Datapath.FROM_CLUSTER, podPacket()).retval()).isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_EGRESS_NO_OWNER)).isEqualTo(dropped + 1);
    }

    @Test
    void aPacketThatCameThroughTheTunnelIsNeverSteeredAgain() {
        dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(NODE)), Map.of(7, Optional.of(Ipv4.parse("10.0.0.4")))));
        long dropped = count(Counter.DROP_EGRESS_NO_OWNER);
        assertThat(run(Datapath.FROM_CLUSTER, SyntheticPacket.ipip(NODE, SELF, podPacket()))
                        .retval())
                .isEqualTo(TC_ACT_SHOT);
        assertThat(count(Counter.DROP_EGRESS_NO_OWNER))
                .as("two gateways that disagree about the owner do not bounce it")
                .isEqualTo(dropped + 1);
    }

    @Test
    void theNodeHandsOnWhatIsNotASteeredPodsPacketTowardALegacyPrefix() {
        for (byte[] frame : List.of(
                SyntheticPacket.tcp("10.1.0.21", 41000, LEGACY, 443).frame(),
                SyntheticPacket.tcp(POD, 41000, "10.9.0.1", 443).frame())) {
            TestRun.Result r = runNode(NodeRole.NODE_OUT, frame);
            assertThat(r.retval()).isEqualTo(TC_ACT_UNSPEC);
            assertThat(r.packetOut()).isEqualTo(frame);
        }
    }

    @Test
    void theNodeDropsASteeredPodsPacketWhenItsIdentityHasNoOwner() {
        node.apply(new NodeSteering(
                Optional.of(Ipv4.parse(NODE)),
                Map.of(Ipv4.parse(POD), new NodeSteering.Pod(7, Optional.empty())),
                List.of(Ipv4Prefix.parse("192.0.2.0/24"))));
        long dropped = nodeCount(NodeCounter.DROP_NO_OWNER);
        assertThat(runNode(NodeRole.NODE_OUT, podPacket()).retval()).isEqualTo(TC_ACT_SHOT);
        assertThat(nodeCount(NodeCounter.DROP_NO_OWNER)).isEqualTo(dropped + 1);
    }

    @Test
    void theNodeDecapsulatesTheOwnersRepliesToItsPodsAndNothingElse() {
        byte[] reply = SyntheticPacket.tcp(LEGACY, 443, POD, 41000)
                .withTcpFlags(SyntheticPacket.SYN | SyntheticPacket.ACK)
                .frame();
        long repliesIn = nodeCount(NodeCounter.REPLY_IN);
        long flowsIn = nodeCount(NodeCounter.FLOW_IN);
        runNode(NodeRole.NODE_OUT, podPacket()); // the pod's SYN, steered to the owner and recorded
        TestRun.Result r = runNode(NodeRole.NODE_IN, SyntheticPacket.ipip(SELF, NODE, reply));
        assertThat(r.retval()).isEqualTo(TC_ACT_OK);
        assertThat(nodeCount(NodeCounter.REPLY_IN))
                .as("the owner's reply to the pod's egress, from its legacy prefixes")
                .isEqualTo(repliesIn + 1);
        assertThat(nodeCount(NodeCounter.FLOW_IN)).as("recorded as no flow").isEqualTo(flowsIn);
        assertThat(Arrays.copyOfRange(r.packetOut(), 12, r.packetOut().length))
                .isEqualTo(Arrays.copyOfRange(reply, 12, reply.length));
        byte[] unasked = SyntheticPacket.tcp(LEGACY, 443, POD, 41001)
                .withTcpFlags(SyntheticPacket.SYN | SyntheticPacket.ACK)
                .frame();
        assertThat(runNode(NodeRole.NODE_IN, SyntheticPacket.ipip(SELF, NODE, unasked))
                        .retval())
                .isEqualTo(TC_ACT_OK);
        assertThat(nodeCount(NodeCounter.FLOW_IN))
                .as("the same from a port the pod never sent to: no reply to its egress, so a gateway's flow")
                .isEqualTo(flowsIn + 1);
        assertThat(nodeCount(NodeCounter.REPLY_IN)).isEqualTo(repliesIn + 1);
        byte[] fromStranger = SyntheticPacket.ipip("10.0.0.9", NODE, reply);
        assertThat(runNode(NodeRole.NODE_IN, fromStranger).retval()).isEqualTo(TC_ACT_UNSPEC);
        byte[] toOtherHost = SyntheticPacket.ipip(
                SELF, NODE, SyntheticPacket.tcp(LEGACY, 443, "10.1.0.99", 41000).frame());
        assertThat(runNode(NodeRole.NODE_IN, toOtherHost).retval())
                .as("the node is no relay to hosts it does not steer")
                .isEqualTo(TC_ACT_UNSPEC);
    }
}
