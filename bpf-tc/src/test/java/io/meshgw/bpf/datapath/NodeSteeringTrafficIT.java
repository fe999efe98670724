package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.TestRun;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.ThreadNetns;
import io.meshgw.types.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Egress steering with real packets. An ordinary node whose own route to the legacy LAN bypasses every gateway, the
 * gateway that owns identity 7's egress address, and a second gateway that does not own it, each with a direct link
 * to the legacy host, which routes each pod network straight back to where it sits: without steering, a pod's packet
 * leaves with the pod's own address and its reply comes back without any gateway.
 *
 * <pre>
 *  pod 10.244.1.10 (identity 7), 10.244.1.11 (none)
 *      |  pd0 10.244.1.1
 *    NODE  dc0 192.0.2.2 --------------------------------- 192.0.2.5 eth0 LEGACY (the service, port 9000)
 *      |  up0 10.0.0.2                                                eth1 192.0.3.5 --- 192.0.3.1 lg0 OWNER
 *      |                                                              eth2 192.0.4.5 --- 192.0.4.1 lg0 GW2
 *    OWNER cl0 10.0.0.1 (its tunnel endpoint), cl1 10.0.1.1 --- 10.0.1.2 up0 GW2 (its endpoint), cl0 10.244.2.1
 *                                                                         |
 *                                                                       pod2 10.244.2.10 (identity 7)
 *  identity 7 (10.244.0.0/16) leaves as 203.0.113.7 toward 192.0.2.0/24; the legacy host routes 203.0.113.0/24 to
 *  OWNER, 10.244.1.0/24 to NODE and 10.244.2.0/24 to GW2. One test serves VIP 198.51.100.10:80 from pod2's 8080 on
 *  both gateways; the legacy host routes the VIP to OWNER, OWNER routes 10.244.2.0/24 to GW2. Others serve VIP
 *  198.51.100.11:80 from the node's pods' 8080 at OWNER, which routes 10.244.1.0/24 to NODE; the node answers the
 *  legacy host straight out of dc0. One has GW2 serve VIP 198.51.100.12 from those pods as another cluster's gateway
 *  would, tunnelling to OWNER; the legacy host routes that VIP to GW2.
 * </pre>
 */
class NodeSteeringTrafficIT {

    static final String LEGACY = "192.0.2.5";
    static final String EGRESS = "203.0.113.7";
    static final String POD = "10.244.1.10";
    static final String PLAIN_POD = "10.244.1.11";
    static final String POD2 = "10.244.2.10";
    static final String NODE = "10.0.0.2";
    static final String OWNER = "10.0.0.1";
    static final String GW2 = "10.0.1.2";
    /** A VIP both gateways serve, backed by pod2; the legacy host routes it to OWNER. */
    static final String VIP = "198.51.100.10";
    /** A VIP OWNER serves from a pod of the ordinary node. */
    static final String NODE_VIP = "198.51.100.11";
    /**
     * A VIP GW2 serves as another cluster's gateway would, from the node's pod as a backend of OWNER's cluster; the
     * legacy host routes it to GW2.
     */
    static final String CROSS_VIP = "198.51.100.12";

    static NetNs legacy;
    static NetNs node;
    static NetNs pod;
    static NetNs owner;
    static NetNs gw2;
    static NetNs pod2;
    static Path logs;

    static final TranslationTable TABLE = TranslationTable.EMPTY
            .withIdentities(List.of(new IdentityPrefix(Ipv4Prefix.parse("10.244.0.0/16"), 7)))
            .withEgress(
                    List.of(new EgressTranslation(7, Ipv4.parse(EGRESS), List.of(Ipv4Prefix.parse("192.0.2.0/24")))));
    static final NodeSteering NODE_STEERING = new NodeSteering(
            Optional.of(Ipv4.parse(NODE)),
            Map.of(Ipv4.parse(POD), new NodeSteering.Pod(7, Optional.of(Ipv4.parse(OWNER)))),
            List.of(Ipv4Prefix.parse("192.0.2.0/24")));

    /** The node role as it runs beside the gateways: OWNER's IPIP taken toward the pod without an identity too. */
    static final NodeSteering RETURNING = new NodeSteering(
            NODE_STEERING.self(),
            NODE_STEERING.pods(),
            NODE_STEERING.destinations(),
            Set.of(Ipv4.parse(OWNER)),
            Set.of(Ipv4.parse(PLAIN_POD)));

    Datapath ownerDp;
    Datapath gw2Dp;
    NodeRole nodeRole;

    @BeforeAll
    static void topology() throws IOException {
        assumeTrue(NetNs.available(), "network namespaces need root with CAP_NET_ADMIN");
        NetNs.removeStale();
        logs = Files.createTempDirectory("mgw-steering");
        legacy = NetNs.create("slg");
        node = NetNs.create("snode");
        pod = NetNs.create("spod");
        owner = NetNs.create("sown");
        gw2 = NetNs.create("sgw2");
        pod2 = NetNs.create("spod2");
        NetNs.link(node, "pd0", "10.244.1.1/24", pod, "eth0", POD + "/24");
        pod.exec("ip", "addr", "add", PLAIN_POD + "/24", "dev", "eth0").check();
        pod.exec("ip", "route", "add", "default", "via", "10.244.1.1").check();
        NetNs.link(node, "dc0", "192.0.2.2/24", legacy, "eth0", LEGACY + "/24");
        NetNs.link(node, "up0", NODE + "/24", owner, "cl0", OWNER + "/24");
        NetNs.link(owner, "lg0", "192.0.3.1/24", legacy, "eth1", "192.0.3.5/24");
        NetNs.link(owner, "cl1", "10.0.1.1/24", gw2, "up0", GW2 + "/24");
        NetNs.link(gw2, "lg0", "192.0.4.1/24", legacy, "eth2", "192.0.4.5/24");
        NetNs.link(gw2, "cl0", "10.244.2.1/24", pod2, "eth0", POD2 + "/24");
        pod2.exec("ip", "route", "add", "default", "via", "10.244.2.1").check();
        legacy.exec("ip", "route", "add", "203.0.113.0/24", "via", "192.0.3.1").check();
        legacy.exec("ip", "route", "add", "10.244.1.0/24", "via", "192.0.2.2").check();
        legacy.exec("ip", "route", "add", "10.244.2.0/24", "via", "192.0.4.1").check();
        owner.exec("ip", "route", "add", "192.0.2.0/24", "via", "192.0.3.5").check();
        gw2.exec("ip", "route", "add", "192.0.2.0/24", "via", "192.0.4.5").check();
        gw2.exec("ip", "route", "add", "10.0.0.0/24", "via", "10.0.1.1").check();
        legacy.exec("ip", "route", "add", VIP + "/32", "via", "192.0.3.1").check();
        legacy.exec("ip", "route", "add", NODE_VIP + "/32", "via", "192.0.3.1").check();
        legacy.exec("ip", "route", "add", CROSS_VIP + "/32", "via", "192.0.4.1").check();
        owner.exec("ip", "route", "add", "10.244.1.0/24", "via", NODE).check();
        node.exec("ip", "route", "add", "10.0.1.0/24", "via", OWNER).check();
        owner.exec("ip", "route", "add", "10.244.2.0/24", "via", GW2).check();
        gw2.exec("ip", "route", "add", "192.0.3.0/24", "via", "192.0.4.5").check();
        for (NetNs router : List.of(node, owner, gw2, legacy)) {
            for (String key : List.of(
                    "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")) {
                router.exec("sysctl", "-qw", key).check();
            }
        }
        // With transmit offload off the routers complete checksums in software from what the programs left, and the
        // receivers verify them: a wrong rewrite or outer header becomes a dropped packet.
        for (var dev : List.of(
                Map.entry(node, "dc0"),
                Map.entry(node, "up0"),
                Map.entry(owner, "cl0"),
                Map.entry(owner, "cl1"),
                Map.entry(owner, "lg0"),
                Map.entry(gw2, "up0"),
                Map.entry(gw2, "lg0"))) {
            dev.getKey().exec("ethtool", "-K", dev.getValue(), "tx", "off").check();
        }
        legacy.spawn(
                List.of("socat", "TCP-LISTEN:9000,fork,reuseaddr", "SYSTEM:echo legacy saw $SOCAT_PEERADDR"),
                logs.resolve("legacy-tcp.log"));
        DatapathTrafficIT.awaitListening(legacy, ":9000");
        legacy.spawn(
                // Bound to the service's address: unbound, it would answer from the address of the link it answers by.
                List.of(
                        "socat",
                        "UDP-RECVFROM:9001,bind=" + LEGACY + ",fork,reuseaddr",
                        "SYSTEM:echo legacy saw $SOCAT_PEERADDR"),
                logs.resolve("legacy-udp.log"));
        pod.spawn(
                List.of("socat", "UDP-RECVFROM:5353,fork,reuseaddr", "SYSTEM:echo pod saw $SOCAT_PEERADDR"),
                logs.resolve("pod-udp.log"));
        pod2.spawn(
                List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo pod2 saw $SOCAT_PEERADDR"),
                logs.resolve("pod2-tcp.log"));
        DatapathTrafficIT.awaitListening(pod2, ":8080");
        pod.spawn(
                List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "SYSTEM:echo pod saw $SOCAT_PEERADDR"),
                logs.resolve("pod-tcp.log"));
        DatapathTrafficIT.awaitListening(pod, ":8080");
        pod.spawn(
                List.of("socat", "-u", "TCP-LISTEN:8081,fork,reuseaddr", "CREATE:" + logs.resolve("upload.bin")),
                logs.resolve("pod-upload.log"));
        DatapathTrafficIT.awaitListening(pod, ":8081");
        pod.spawn(
                List.of("socat", "TCP-LISTEN:8082,fork,reuseaddr", "SYSTEM:head -c 3000000 /dev/zero"),
                logs.resolve("pod-download.log"));
        DatapathTrafficIT.awaitListening(pod, ":8082");
    }

    @AfterAll
    static void teardown() {
        Stream.of(legacy, node, pod, owner, gw2, pod2).filter(n -> n != null).forEach(NetNs::close);
    }

    @BeforeEach
    void attach() {
        ownerDp = ThreadNetns.call(
                owner,
                () -> Datapath.open(
                        DatapathOptions.detached().withMode(Attachment.Mode.TCX).withInterfaces("lg0", "cl0", "cl1")));
        gw2Dp = ThreadNetns.call(
                gw2,
                () -> Datapath.open(
                        DatapathOptions.detached().withMode(Attachment.Mode.TCX).withInterfaces("lg0", "cl0", "up0")));
        nodeRole = ThreadNetns.call(
                node,
                () -> NodeRole.open(
                        NodeRoleOptions.detached().withMode(Attachment.Mode.TCX).withUplinks("dc0", "up0")));
        ownerDp.apply(TABLE);
        ownerDp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(OWNER)), Map.of()));
        ownerDp.applySteering(new SteeringTable(Set.of(Ipv4.parse(NODE), Ipv4.parse(GW2)), Map.of()));
        // Every gateway plans the same egress; the one that does not own the address steers instead of translating.
        gw2Dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(OWNER)), Map.of(7, Optional.of(Ipv4.parse(OWNER)))));
        gw2Dp.apply(TABLE);
        gw2Dp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(GW2)), Map.of()));
        nodeRole.apply(NODE_STEERING);
    }

    @AfterEach
    void detach() {
        for (var pair : List.of(Map.entry(owner, ownerDp), Map.entry(gw2, gw2Dp))) {
            if (pair.getValue() != null) {
                ThreadNetns.run(pair.getKey(), pair.getValue()::detach);
                pair.getValue().close();
            }
        }
        if (nodeRole != null) {
            ThreadNetns.run(node, nodeRole::detach);
            nodeRole.close();
        }
    }

    @Test
    void aPodOnAnOrdinaryNodeLeavesWithItsEgressAddressAndGetsTheReplies() {
        assertThat(tcp(pod, POD).stdout().strip())
                .as("the legacy host saw the identity's egress address, and the pod got its answer back")
                .isEqualTo("legacy saw " + EGRESS);
        assertThat(nodeCount(NodeCounter.STEERED)).as("the node encapsulated").isPositive();
        assertThat(nodeCount(NodeCounter.REPLY_IN))
                .as("the replies came back through the owner")
                .isPositive();
        assertThat(count(ownerDp, Counter.NODE_IN)).isPositive();
        assertThat(count(ownerDp, Counter.SNAT_NEW)).isEqualTo(1);
        assertThat(count(ownerDp, Counter.TUNNEL_OUT))
                .as("the owner sent the translated replies back to the node")
                .isPositive();
        assertThat(ownerDp.conntrack(100))
                .as("the owner's entries of the flow name the node it came through")
                .anySatisfy(e -> assertThat(e.kind()).isEqualTo(ConntrackEntry.Kind.SNAT_REPLY));
    }

    @Test
    void aPodWithoutAnIdentityOnTheSameNodeLeavesUntouchedBesideOneThatIsSteered() {
        assertThat(tcp(pod, PLAIN_POD).stdout().strip()).isEqualTo("legacy saw " + PLAIN_POD);
        assertThat(nodeCount(NodeCounter.STEERED))
                .as("nothing of the pod without an identity was encapsulated")
                .isZero();
        assertThat(tcp(pod, POD).stdout().strip()).isEqualTo("legacy saw " + EGRESS);
        assertThat(nodeCount(NodeCounter.STEERED)).isPositive();
    }

    /** A bulk transfer: GSO packets through the encapsulation, the SYN's MSS clamped to what the tunnel carries. */
    @Test
    void aBulkTransferFromTheSteeredPodCrossesTheTunnelWhole() throws IOException {
        Path received = logs.resolve("bulk.bin");
        legacy.spawn(
                List.of("socat", "-u", "TCP-LISTEN:9002,reuseaddr", "CREATE:" + received), logs.resolve("bulk.log"));
        DatapathTrafficIT.awaitListening(legacy, ":9002");
        CommandResult bulk = pod.exec(
                Duration.ofSeconds(20),
                "sh",
                "-c",
                "head -c 3000000 /dev/zero | socat -u - TCP:" + LEGACY + ":9002,bind=" + POD + ",connect-timeout=3");
        assertThat(bulk.exitCode()).as(bulk.stderr()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (!Files.exists(received) || Files.size(received) < 3_000_000)) {
            DatapathTrafficIT.sleep(100);
        }
        assertThat(Files.size(received)).isEqualTo(3_000_000);
        assertThat(nodeCount(NodeCounter.DROP_MTU))
                .as("the clamped MSS kept every segment under the tunnel's MTU")
                .isZero();
        assertThat(count(ownerDp, Counter.SNAT_NEW)).isEqualTo(1);
    }

    @Test
    void ipipFromANodeOfTheClusterIsDecapsulatedAndFromAnUnknownSourceDropped() {
        byte[] inner = SyntheticPacket.udp(POD, 4000, LEGACY, 9).frame();
        byte[] ownerMac = mac(owner, "cl0");
        long unknown = count(ownerDp, Counter.DROP_TUNNEL_PEER);
        long fromNodes = count(ownerDp, Counter.NODE_IN);
        try (PacketSocket s = PacketSocket.open(node, "up0")) {
            for (int i = 0; i < 3; i++) {
                s.send(SyntheticPacket.ipip("10.0.0.3", OWNER, inner), ownerMac);
            }
            s.send(SyntheticPacket.ipip(NODE, OWNER, inner), ownerMac);
        }
        DatapathTrafficIT.sleep(300);
        assertThat(count(ownerDp, Counter.DROP_TUNNEL_PEER) - unknown)
                .as("IPIP from an address that is no node of the cluster")
                .isEqualTo(3);
        assertThat(count(ownerDp, Counter.NODE_IN) - fromNodes)
                .as("the same packet from the node is decapsulated")
                .isEqualTo(1);
    }

    @Test
    void aGatewayThatDoesNotOwnTheEgressAddressSteersThePodToTheOwner() {
        assertThat(tcp(pod2, POD2).stdout().strip())
                .as("the legacy host saw the egress address, not the pod's, and the pod got its answer")
                .isEqualTo("legacy saw " + EGRESS);
        assertThat(count(gw2Dp, Counter.EGRESS_STEERED)).isPositive();
        assertThat(count(gw2Dp, Counter.SNAT_NEW))
                .as("the non-owner translated nothing")
                .isZero();
        assertThat(count(ownerDp, Counter.SNAT_NEW)).isEqualTo(1);
        assertThat(count(gw2Dp, Counter.NODE_IN))
                .as("the replies came back from the owner")
                .isPositive();
    }

    /**
     * Two gateways serving one VIP: the legacy host's route leads the connection to OWNER, which translates it to pod2
     * behind GW2; pod2's replies follow its own route to GW2, which never saw the flow. GW2 sends them from the VIP
     * (reply adoption): to a client of no egress destination, which would otherwise get them from pod2's own address,
     * and to one of identity 7's egress destinations, before the egress rule would steer them to OWNER.
     */
    @Test
    void aBackendsRepliesReachingTheGatewayThatDidNotTranslateTheFlowLeaveFromTheVip() {
        TranslationTable serving = TABLE.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(VIP), 80, Protocol.TCP, 100, List.of(new Backend(Ipv4.parse(POD2), 8080, 1, true)))));
        ownerDp.apply(serving);
        gw2Dp.apply(serving);
        for (String client : List.of("192.0.3.5", LEGACY)) {
            CommandResult r = fromLegacy(VIP, client);
            assertThat(r.stdout().strip())
                    .as("the connection from %s to the VIP opened and pod2 answered; %s", client, r.stderr())
                    .isEqualTo("pod2 saw " + client);
        }
        assertThat(count(ownerDp, Counter.DNAT_NEW)).isEqualTo(2);
        assertThat(count(ownerDp, Counter.DNAT_REPLY))
                .as("no reply came back through the translating gateway")
                .isZero();
        assertThat(count(gw2Dp, Counter.DNAT_REPLY)).as("the replies, adopted").isPositive();
        assertThat(count(gw2Dp, Counter.EGRESS_STEERED)).isZero();
        assertThat(gw2Dp.conntrack(100)).as("no state at the adopting gateway").isEmpty();
    }

    /**
     * The leak the steering closes, as a gateway that did not hold the Lease was set up before it kept the identities
     * it does not serve: no egress in its table, nothing steered; the pod's packet leaves with the pod's own address.
     */
    @Test
    void withoutSteeringANonOwnerGatewaySendsThePodsOwnAddress() {
        gw2Dp.applySteering(SteeringTable.NONE);
        gw2Dp.apply(TranslationTable.EMPTY);
        assertThat(tcp(pod2, POD2).stdout().strip()).isEqualTo("legacy saw " + POD2);
    }

    @Test
    void aGatewayThatKnowsNoOwnerDropsThePodsPacketsInsteadOfSendingThePodsAddress() {
        gw2Dp.applySteering(new SteeringTable(Set.of(Ipv4.parse(OWNER)), Map.of(7, Optional.empty())));
        CommandResult r = tcp(pod2, POD2);
        assertThat(r.stdout()).as("nothing reached the legacy host").doesNotContain("legacy saw");
        assertThat(count(gw2Dp, Counter.DROP_EGRESS_NO_OWNER)).isPositive();
        assertThat(count(ownerDp, Counter.SNAT_NEW)).isZero();
    }

    @Test
    void aNodeThatKnowsNoOwnerDropsThePodsPacketsInsteadOfSendingThePodsAddress() {
        nodeRole.apply(new NodeSteering(
                Optional.of(Ipv4.parse(NODE)),
                Map.of(Ipv4.parse(POD), new NodeSteering.Pod(7, Optional.empty())),
                List.of(Ipv4Prefix.parse("192.0.2.0/24"))));
        CommandResult r = tcp(pod, POD);
        assertThat(r.stdout()).as("nothing reached the legacy host").doesNotContain("legacy saw");
        assertThat(nodeCount(NodeCounter.DROP_NO_OWNER)).isPositive();
    }

    /**
     * The return half: a backend on the ordinary node, whose own route to the legacy client bypasses every gateway,
     * answers the VIP's client through the gateway that translated the flow once that gateway sends it the flow in
     * IPIP and the node role records it. Before, its reply leaves the node from its own address and the connection
     * never opens.
     */
    @Test
    void aBackendOnAnOrdinaryNodeAnswersTheVipsClientThroughTheGatewayThatTranslatedTheFlow() {
        ownerDp.apply(TABLE.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(NODE_VIP),
                80,
                Protocol.TCP,
                101,
                List.of(new Backend(Ipv4.parse(PLAIN_POD), 8080, 1, true, true))))));
        assertThat(toNodeVip().stdout())
                .as("routed plainly, the backend's reply leaves its node from its own address")
                .doesNotContain("pod saw");
        ownerDp.applySteering(new SteeringTable(
                Set.of(Ipv4.parse(NODE), Ipv4.parse(GW2)), Map.of(), Map.of(Ipv4.parse(PLAIN_POD), Ipv4.parse(NODE))));
        nodeRole.apply(RETURNING);
        CommandResult r = toNodeVip();
        assertThat(r.stdout().strip())
                .as("the connection opened, and the backend saw the client's own address; %s", r.stderr())
                .isEqualTo("pod saw " + LEGACY);
        assertThat(count(ownerDp, Counter.BACKEND_NODE))
                .as("sent to the backend's node")
                .isPositive();
        assertThat(nodeCount(NodeCounter.FLOW_IN))
                .as("decapsulated and recorded")
                .isPositive();
        assertThat(nodeCount(NodeCounter.RETURNED))
                .as("the replies went back to the gateway")
                .isPositive();
        assertThat(count(ownerDp, Counter.DNAT_REPLY))
                .as("and left it from the VIP")
                .isPositive();
        assertThat(nodeCount(NodeCounter.STEERED))
                .as("no egress steering involved")
                .isZero();

        long sent = count(ownerDp, Counter.BACKEND_NODE);
        ownerDp.apply(TABLE.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(NODE_VIP),
                80,
                Protocol.TCP,
                101,
                List.of(new Backend(Ipv4.parse(PLAIN_POD), 8080, 1, true))))));
        assertThat(toNodeVip().stdout())
                .as("a backend not marked as reached through its node does not look its node up")
                .doesNotContain("pod saw");
        assertThat(count(ownerDp, Counter.BACKEND_NODE)).isEqualTo(sent);
    }

    /**
     * The return half across clusters: GW2, as another cluster's gateway, translates a legacy client's flow to the
     * node's pod and tunnels it to OWNER; OWNER relays it to the pod's node in IPIP; the node role returns the replies
     * to OWNER, which sends them back through the tunnel to GW2. Each packet leaves one tunnel and enters another at
     * OWNER, where the kernel still holds it as encapsulated. Bulk transfers both ways carry GSO packets through that.
     */
    @Test
    void aFlowAnotherClustersGatewayTranslatesForABackendOnAnOrdinaryNodeComesBackThroughBothGateways()
            throws IOException {
        gw2Dp.apply(TABLE.withServices(List.of(
                new ServiceTranslation(
                        Ipv4.parse(CROSS_VIP),
                        80,
                        Protocol.TCP,
                        102,
                        List.of(new Backend(Ipv4.parse(PLAIN_POD), 8080, 1, false))),
                new ServiceTranslation(
                        Ipv4.parse(CROSS_VIP),
                        81,
                        Protocol.TCP,
                        102,
                        List.of(new Backend(Ipv4.parse(PLAIN_POD), 8081, 1, false))),
                new ServiceTranslation(
                        Ipv4.parse(CROSS_VIP),
                        82,
                        Protocol.TCP,
                        102,
                        List.of(new Backend(Ipv4.parse(PLAIN_POD), 8082, 1, false))))));
        gw2Dp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(GW2)), Map.of(1, Ipv4.parse(OWNER))));
        ownerDp.applyTunnels(new TunnelTable(Optional.of(Ipv4.parse(OWNER)), Map.of(2, Ipv4.parse(GW2))));
        ownerDp.applySteering(
                new SteeringTable(Set.of(Ipv4.parse(NODE)), Map.of(), Map.of(Ipv4.parse(PLAIN_POD), Ipv4.parse(NODE))));
        nodeRole.apply(RETURNING);

        CommandResult r = fromLegacy(CROSS_VIP, LEGACY);
        assertThat(r.stdout().strip())
                .as("the connection opened, and the backend saw the client's own address; %s", r.stderr())
                .isEqualTo("pod saw " + LEGACY);
        assertThat(count(gw2Dp, Counter.TUNNEL_OUT))
                .as("GW2 tunnelled the flow")
                .isPositive();
        assertThat(count(ownerDp, Counter.TUNNEL_IN)).isPositive();
        assertThat(count(ownerDp, Counter.BACKEND_NODE))
                .as("OWNER relayed it to the backend's node")
                .isPositive();
        assertThat(nodeCount(NodeCounter.FLOW_IN)).isPositive();
        assertThat(nodeCount(NodeCounter.RETURNED)).isPositive();
        assertThat(count(ownerDp, Counter.DROP_TUNNEL_ROUTE))
                .as("nothing lost between the two tunnels")
                .isZero();
        assertThat(count(gw2Dp, Counter.DNAT_REPLY))
                .as("the replies came back to GW2 and left it from the VIP")
                .isPositive();

        // With transmit offload on at GW2's side of the link, its encapsulated segments reach OWNER as GSO packets.
        gw2.exec("ethtool", "-K", "up0", "tx", "on").check();
        try {
            Path uploaded = logs.resolve("upload.bin");
            CommandResult up = legacy.exec(
                    Duration.ofSeconds(20),
                    "sh",
                    "-c",
                    "head -c 3000000 /dev/zero | socat -u - TCP:" + CROSS_VIP + ":81,bind=" + LEGACY
                            + ",connect-timeout=3");
            assertThat(up.exitCode()).as(up.stderr()).isZero();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline && (!Files.exists(uploaded) || Files.size(uploaded) < 3_000_000)) {
                DatapathTrafficIT.sleep(100);
            }
            assertThat(Files.exists(uploaded) ? Files.size(uploaded) : -1)
                    .as("3 MB from the client reached the backend whole")
                    .isEqualTo(3_000_000);
            Path downloaded = logs.resolve("download.bin");
            CommandResult down = legacy.exec(
                    Duration.ofSeconds(20),
                    "sh",
                    "-c",
                    "socat -u TCP:" + CROSS_VIP + ":82,bind=" + LEGACY + ",connect-timeout=3 - > " + downloaded);
            assertThat(down.exitCode()).as(down.stderr()).isZero();
            assertThat(Files.size(downloaded))
                    .as("3 MB from the backend reached the client whole")
                    .isEqualTo(3_000_000);
        } finally {
            gw2.exec("ethtool", "-K", "up0", "tx", "off").check();
        }
        assertThat(count(ownerDp, Counter.DROP_TUNNEL_ROUTE)).isZero();
    }

    /**
     * A backend the node also steers (an EgressIdentity keeps it, and the client is in its legacy prefixes): a TCP
     * flow toward it opens with a SYN, so the node role records it as a flow and returns its replies to the
     * translating gateway, not steered as the pod's egress.
     */
    @Test
    void aSteeredPodServingTheVipReturnsItsRepliesAsTheFlowsNotAsItsEgress() {
        ownerDp.apply(TABLE.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(NODE_VIP),
                80,
                Protocol.TCP,
                101,
                List.of(new Backend(Ipv4.parse(POD), 8080, 1, true, true))))));
        ownerDp.applySteering(new SteeringTable(
                Set.of(Ipv4.parse(NODE), Ipv4.parse(GW2)), Map.of(), Map.of(Ipv4.parse(POD), Ipv4.parse(NODE))));
        nodeRole.apply(RETURNING);
        CommandResult r = toNodeVip();
        assertThat(r.stdout().strip()).as(r.stderr()).isEqualTo("pod saw " + LEGACY);
        assertThat(nodeCount(NodeCounter.FLOW_IN)).isPositive();
        assertThat(nodeCount(NodeCounter.RETURNED)).isPositive();
        assertThat(nodeCount(NodeCounter.STEERED))
                .as("none of it taken for the pod's egress")
                .isZero();
        assertThat(nodeCount(NodeCounter.REPLY_IN)).isZero();
        assertThat(count(ownerDp, Counter.SNAT_NEW)).isZero();
    }

    /**
     * UDP, which has no SYN to tell a flow by: a steered pod serving a UDP VIP at GW2 (not the egress owner) to a client
     * in the pod's legacy prefixes. GW2's request is no reply to anything the pod sent out, so the node role records it
     * as a flow and returns the pod's answer to GW2, which sends it from the VIP. Taken for an egress reply, the answer
     * would go to the owner, which would send it from the egress address, and the client would never get it.
     */
    @Test
    void aSteeredPodServingAUdpVipToAClientInItsLegacyPrefixesAnswersFromTheVip() {
        gw2Dp.apply(TABLE.withServices(List.of(new ServiceTranslation(
                Ipv4.parse(CROSS_VIP),
                53,
                Protocol.UDP,
                103,
                List.of(new Backend(Ipv4.parse(POD), 5353, 1, true, true))))));
        gw2Dp.applySteering(new SteeringTable(
                Set.of(Ipv4.parse(OWNER), Ipv4.parse(NODE)),
                Map.of(7, Optional.of(Ipv4.parse(OWNER))),
                Map.of(Ipv4.parse(POD), Ipv4.parse(NODE))));
        nodeRole.apply(new NodeSteering(
                NODE_STEERING.self(),
                NODE_STEERING.pods(),
                NODE_STEERING.destinations(),
                Set.of(Ipv4.parse(OWNER), Ipv4.parse(GW2)),
                Set.of(Ipv4.parse(PLAIN_POD), Ipv4.parse(POD))));

        CommandResult r = udp(legacy, CROSS_VIP + ":53", LEGACY);
        assertThat(r.stdout().strip())
                .as("the client got the pod's answer from the VIP; %s", r.stderr())
                .isEqualTo("pod saw " + LEGACY);
        assertThat(nodeCount(NodeCounter.FLOW_IN)).as("taken in as a flow").isPositive();
        assertThat(nodeCount(NodeCounter.REPLY_IN)).as("not as an egress reply").isZero();
        assertThat(nodeCount(NodeCounter.RETURNED))
                .as("the answer went back to GW2")
                .isPositive();
        assertThat(count(ownerDp, Counter.SNAT_NEW))
                .as("the owner translated nothing")
                .isZero();
        assertThat(count(gw2Dp, Counter.DNAT_REPLY)).isPositive();
    }

    /** The pod's own UDP to a legacy service: its replies are the egress flow's, recorded when the node steered it. */
    @Test
    void aSteeredPodsUdpRepliesAreTakenAsItsEgressRepliesByTheFlowItSentOut() {
        nodeRole.apply(RETURNING);
        CommandResult r = udp(pod, LEGACY + ":9001", POD);
        assertThat(r.stdout().strip())
                .as(() -> r.stderr() + " node " + nodeRole.counters() + " owner " + ownerDp.counters())
                .isEqualTo("legacy saw " + EGRESS);
        assertThat(nodeCount(NodeCounter.STEERED)).isPositive();
        assertThat(nodeCount(NodeCounter.REPLY_IN))
                .as("the owner's reply, by the flow the node steered")
                .isPositive();
        assertThat(nodeCount(NodeCounter.FLOW_IN))
                .as("not taken for a gateway's flow")
                .isZero();
        assertThat(nodeCount(NodeCounter.RETURNED)).isZero();
    }

    static CommandResult udp(NetNs from, String target, String source) {
        return from.exec(
                Duration.ofSeconds(10), "sh", "-c", "echo hello | socat -t 2 - UDP:" + target + ",bind=" + source);
    }

    /** IPIP from a gateway toward an address that is no pod of the node is not decapsulated: the node relays nothing. */
    @Test
    void aGatewaysIpipTowardAnAddressThatIsNoPodOfTheNodeIsNotDecapsulated() {
        nodeRole.apply(RETURNING);
        byte[] inner = SyntheticPacket.udp(LEGACY, 4000, "10.244.9.9", 9).frame();
        TestRun.Result r = ThreadNetns.call(
                node, () -> nodeRole.object().testRun(NodeRole.NODE_IN, SyntheticPacket.ipip(OWNER, NODE, inner), 1));
        assertThat(r.retval()).as("handed on untouched").isEqualTo(DetachedDatapath.TC_ACT_UNSPEC);
        assertThat(nodeCount(NodeCounter.FLOW_IN)).isZero();
        byte[] toPod = SyntheticPacket.udp(LEGACY, 4000, PLAIN_POD, 9).frame();
        r = ThreadNetns.call(
                node, () -> nodeRole.object().testRun(NodeRole.NODE_IN, SyntheticPacket.ipip(OWNER, NODE, toPod), 1));
        assertThat(r.retval()).as("decapsulated toward the pod").isEqualTo(DetachedDatapath.TC_ACT_OK);
        assertThat(nodeCount(NodeCounter.FLOW_IN)).isEqualTo(1);
    }

    /**
     * A backend's ICMP error about a recorded flow (its "port unreachable" to the client) goes back to the gateway
     * by the tuple it quotes, as the flow's replies do; one about no recorded flow is the node's to route.
     */
    @Test
    void aBackendsIcmpErrorAboutARecordedFlowGoesBackToItsGateway() {
        nodeRole.apply(RETURNING);
        byte[] toBackend = SyntheticPacket.udp(LEGACY, 4000, PLAIN_POD, 5353).frame();
        ThreadNetns.call(
                node,
                () -> nodeRole.object().testRun(NodeRole.NODE_IN, SyntheticPacket.ipip(OWNER, NODE, toBackend), 1));
        byte[] unreachable = IcmpErrorFrame.of(
                        IcmpErrorFrame.DEST_UNREACH, IcmpErrorFrame.PORT_UNREACH, 0, PLAIN_POD, LEGACY, toBackend, 28)
                .frame();
        TestRun.Result r = ThreadNetns.call(node, () -> nodeRole.object().testRun(NodeRole.NODE_OUT, unreachable, 1));
        assertThat(r.retval()).as("sent in IPIP toward the gateway").isEqualTo(TC_ACT_REDIRECT);
        assertThat(Arrays.copyOfRange(r.packetOut(), 30, 34))
                .as("outer destination")
                .isEqualTo(Ipv4.parse(OWNER).getAddress());
        assertThat(nodeCount(NodeCounter.RETURNED)).isEqualTo(1);

        byte[] otherFlow = SyntheticPacket.udp(LEGACY, 4001, PLAIN_POD, 5353).frame();
        byte[] unrecorded = IcmpErrorFrame.of(
                        IcmpErrorFrame.DEST_UNREACH, IcmpErrorFrame.PORT_UNREACH, 0, PLAIN_POD, LEGACY, otherFlow, 28)
                .frame();
        r = ThreadNetns.call(node, () -> nodeRole.object().testRun(NodeRole.NODE_OUT, unrecorded, 1));
        assertThat(r.retval())
                .as("not a recorded flow's: routed by the node")
                .isEqualTo(DetachedDatapath.TC_ACT_UNSPEC);
    }

    static final int TC_ACT_REDIRECT = 7;

    CommandResult toNodeVip() {
        return fromLegacy(NODE_VIP, LEGACY);
    }

    /** One TCP exchange from the legacy host, from {@code client}, to port 80 of {@code vip}. */
    static CommandResult fromLegacy(String vip, String client) {
        return legacy.exec(
                Duration.ofSeconds(10),
                "socat",
                "-t",
                "3",
                "-",
                "TCP:" + vip + ":80,bind=" + client + ",connect-timeout=3");
    }

    static CommandResult tcp(NetNs from, String source) {
        return from.exec(
                Duration.ofSeconds(10),
                "socat",
                "-t",
                "3",
                "-",
                "TCP:" + LEGACY + ":9000,bind=" + source + ",connect-timeout=3");
    }

    long nodeCount(NodeCounter c) {
        return nodeRole.counters().get(c).packets();
    }

    static long count(Datapath dp, Counter c) {
        return dp.counters().get(c).packets();
    }

    static byte[] mac(NetNs ns, String ifName) {
        return HexFormat.ofDelimiter(":")
                .parseHex(ns.exec("cat", "/sys/class/net/" + ifName + "/address")
                        .check()
                        .stdout()
                        .strip());
    }
}
