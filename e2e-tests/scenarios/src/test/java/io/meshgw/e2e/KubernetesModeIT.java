package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The gateway in Kubernetes mode, end to end: each cluster's gateway process watches an API server of its own
 * (fabric8's mock server in CRUD mode, holding the meshgw CRDs and the objects the cluster's file would hold), takes the
 * Lease there, plans from the informers, drives the real datapath, BIRD and FRR and the broker, and writes status and
 * finalizers back; the VIP is served across clusters. The scenarios build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesModeIT {

    static HybridLab lab;
    static Scenarios s;
    static KubernetesClient api;
    /** The well-known label that keeps a node out of external load balancers: the gateway on it drains. */
    static final String EXCLUDE = "node.kubernetes.io/exclude-from-external-load-balancers";

    static final String VIP = HybridLab.VIP;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NetNs.available(), "the hybrid lab needs root with CAP_NET_ADMIN and CAP_BPF");
        lab = HybridLab.startInKubernetesMode(
                Files.createTempDirectory("meshgw-e2e-k8s"), Path.of(System.getProperty("meshgw.crds.dir")));
        api = lab.api().client();
        s = new Scenarios(lab);
        assertThat(s.sessionsUp())
                .as("both gateways peer with the routers; logs in %s", lab.dir())
                .isNotNegative();
    }

    @AfterAll
    static void stop() {
        streams.forEach(EchoStream::close);
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void theGatewayTakesTheLeaseAndSaysSo() {
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(30), () -> "east-gw-1".equals(leaseHolder())))
                .as("east's gateway holds the Lease; see %s", lab.dir())
                .isNotNegative();
        String info = lab.gateway("east").get("/api/v1/info").body();
        assertThat(info).contains("\"mode\":\"kubernetes\"", "\"leading\":true", "\"leader\":\"east-gw-1\"");
    }

    @Test
    @Order(2)
    void aVipPlannedFromTheApiServerIsAnnouncedAndServedAcrossClusters() {
        assertThat(s.vipAnnounced())
                .as("east announces the VIP of the export it read from the API server; see %s", lab.dir())
                .isNotNegative();
        for (BgpRouter r : lab.routers()) {
            assertThat(r.routeDetails(HybridLab.VIP + "/32"))
                    .as("%s learned the VIP", r.kind())
                    .contains("172.16.1.2");
        }
        assertThat(s.legacyToVipUntil("saw", Duration.ofSeconds(20)))
                .isEqualTo("web-b of west saw " + HybridLab.LEGACY_HOST);
    }

    @Test
    @Order(3)
    void statusAndTheFinalizerAreWrittenToTheApiServer() {
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(20), () -> HybridLab.VIP.equals(status("shop", "web", "assignedVip"))))
                .as("the export's status names its VIP")
                .isNotNegative();
        assertThat(ready("shop", "web")).isEqualTo("True");
        assertThat(export("shop", "web").getMetadata().getFinalizers()).isNotEmpty();
    }

    @Test
    @Order(4)
    void aLocalBackendAddedThroughTheApiServerIsPreferred() {
        s.setBackends("east", List.of(HybridLab.WEB_A));
        assertThat(s.legacyToVipUntil("web-a", Duration.ofSeconds(20)))
                .isEqualTo("web-a of east saw " + HybridLab.LEGACY_HOST);
    }

    @Test
    @Order(5)
    void aPodLeavesWithItsEgressIpTranslatedByTheLeaseHolder() {
        assertThat(s.egressAnnounced()).isNotNegative();
        String[] answer = {""};
        BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = s.podToLegacy(9000)).contains("saw"));
        assertThat(answer[0]).isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        var identity = api.genericKubernetesResources("meshgw.io/v1alpha1", "EgressIdentity")
                .inNamespace("shop")
                .list()
                .getItems();
        assertThat(identity)
                .as("every EgressIdentity's status names the gateway that serves its source")
                .isNotEmpty()
                .allSatisfy(e -> assertThat(String.valueOf(
                                ((Map<?, ?>) e.getAdditionalProperties().get("status")).get("servedBy")))
                        .isEqualTo("east-gw-1"));
    }

    @Test
    @Order(6)
    void aNodeLabelledForExclusionFromLoadBalancersWithdrawsItsVipAndTakesItBackWhenUnlabelled() {
        assertThat(info(lab.gateway("east"))).contains("\"node\":\"" + HybridLab.EAST_NODE + "\"");
        label(EXCLUDE, "");
        long drained = Scenarios.millisUntil(
                Duration.ofSeconds(20), () -> lab.routers().stream().noneMatch(r -> r.holds(HybridLab.VIP + "/32")));
        assertThat(drained).as("both routers lost the VIP of the drained node").isNotNegative();
        assertThat(lab.gateway("east").get("/api/v1/datapath/translations").body())
                .as("the drained node keeps translating what still arrives")
                .contains(HybridLab.VIP);
        label(EXCLUDE, null);
        long back = Scenarios.millisUntil(Duration.ofSeconds(20), () -> lab.routersHave(HybridLab.VIP + "/32"));
        System.err.printf("drain: VIP gone at both routers after %d ms, back %d ms after unlabelling%n", drained, back);
        assertThat(back).as("both routers learned the VIP again").isNotNegative();
    }

    private static void label(String key, String value) {
        api.nodes().withName(HybridLab.EAST_NODE).edit(n -> {
            if (value == null) {
                n.getMetadata().getLabels().remove(key);
            } else {
                n.getMetadata().getLabels().put(key, value);
            }
            return n;
        });
    }

    @Test
    @Order(8)
    void aSecondReplicaStandsByWithoutFencingTheLeaderAndTakesOverWithoutTheMeshLosingEast() throws Exception {
        GatewayProcess second = lab.startSecondEastReplica();
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(30), () -> info(second).contains("\"leader\":\"east-gw-1\"")))
                .as("the second replica sees east-gw-1 hold the Lease; see %s", second.log())
                .isNotNegative();
        assertThat(info(second)).contains("\"leading\":false");
        // The standby has run its passes meanwhile; the leader still publishes (a standby never fences it).
        GatewayProcess.sleep(3000);
        assertThat(lab.gateway("east").get("/q/health/ready").body().replaceAll("\\s", ""))
                .contains("\"publishing\":true");
        assertThat(seesEastsExport(eastAtWest())).isTrue();

        // The leader stops: it releases the Lease and the replica takes over publishing and status. West's view
        // of east's export is watched every 100 ms throughout, past the time west would take a silent east out.
        Failover f = Failover.watch();
        try {
            lab.gateway("east").stop();
            long takeover = Scenarios.millisUntil(
                    Duration.ofSeconds(20), () -> info(second).contains("\"leading\":true"));
            System.err.printf("leader stopped -> the replica leads after %d ms%n", takeover);
            assertThat(takeover).as("the replica took the released Lease").isNotNegative();
            assertThat(Scenarios.millisUntil(
                            Duration.ofSeconds(20), () -> servedBy().equals(List.of("east-gw-2"))))
                    .as("the new holder serves the egress address and says so in status")
                    .isNotNegative();
            GatewayProcess.sleep(6000);
        } finally {
            f.stop();
        }
        System.err.printf("during the takeover east's heartbeat was at most %d ms old at west%n", f.silence.get());
        assertThat(f.meshGaps.get())
                .as("polls in which west did not see east's export")
                .isZero();

        // East comes back as a replica that does not lead, and serves its node again.
        lab.startGateway("east");
        assertThat(s.sessionsUp()).isNotNegative();
        assertThat(info(lab.gateway("east"))).contains("\"leading\":false", "\"leader\":\"east-gw-2\"");
        assertThat(s.legacyToVipUntil("web-a", Duration.ofSeconds(20)))
                .isEqualTo("web-a of east saw " + HybridLab.LEGACY_HOST);
    }

    /** Flows from the legacy host through the VIP, kept open across the failovers below. */
    static final List<EchoStream> streams = new ArrayList<>();

    static final int STREAMS = 16;

    @Test
    @Order(9)
    void bothGatewayNodesServeTheVipAndTheRoutersSpreadFlowsOverThem() {
        // Since the takeover above east-gw-2 leads and east-gw-1 follows; each node announces the VIP and translates.
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(30),
                        () -> lab.routers().stream().allMatch(r -> r.established(HybridLab.EAST2_UPLINK))))
                .as(
                        "both routers peer with east's second node; see %s",
                        lab.gateway("east2").log())
                .isNotNegative();
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(30), () -> bothNextHops(lab.legacyRouterKernelRoute(VIP))))
                .as(
                        "the legacy host's router routes the VIP over both gateway nodes: %s",
                        lab.legacyRouterKernelRoute(VIP))
                .isNotNegative();
        for (BgpRouter r : lab.routers()) {
            assertThat(r.routeDetails(VIP + "/32"))
                    .as("%s learned the VIP from both", r.kind())
                    .contains("172.16.1.2", HybridLab.EAST2_UPLINK);
        }
        long first = s.counter("east", "dnat_new");
        long second = s.counter("east2", "dnat_new");
        for (int i = 0; i < STREAMS; i++) {
            streams.add(EchoStream.open(lab.legacyHost(), VIP, 80, true, STALL_PATIENCE));
        }
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(20), () -> streams.stream().allMatch(e -> e.roundTrips() >= 5)))
                .as("every flow echoes: %s", describe(streams))
                .isNotNegative();
        assertThat(streams)
                .as("the backend sees the legacy host's own address, whichever node translated the flow")
                .allSatisfy(e -> assertThat(e.greeting()).isEqualTo("web-a of east saw " + HybridLab.LEGACY_HOST));
        assertThat(s.counter("east", "dnat_new"))
                .as("east-gw-1 translated some of the flows")
                .isGreaterThan(first);
        assertThat(s.counter("east2", "dnat_new"))
                .as("east-gw-2 translated some of the flows")
                .isGreaterThan(second);
    }

    @Test
    @Order(10)
    void aPodBehindTheNodeThatDoesNotServeItsEgressAddressLeavesThroughTheNodeThatDoes() {
        // The pods route through east-gw-1's node, and east-gw-2 holds the Lease and serves the egress address:
        // east-gw-1 steers the pod's packets to east-gw-2's endpoint, named on its Node, which translates them.
        assertThat(info(lab.gateway("east"))).contains("\"leading\":false");
        long steered = s.counter("east", "egress_steered");
        long dropped = s.counter("east", "drop_egress_no_owner");
        String[] answer = {""};
        int leaked = lab.packetsAtLegacyHostFrom(HybridLab.CLIENT, () -> answer[0] = s.podToLegacy(9000));
        assertThat(answer[0])
                .as("the pod's connection left with the egress address, through the node that serves it")
                .isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        assertThat(leaked)
                .as("packets with the pod's own address at the legacy host, past the egress address its firewall knows")
                .isZero();
        assertThat(s.counter("east", "egress_steered"))
                .as("east-gw-1 steered the pod's packets")
                .isGreaterThan(steered);
        assertThat(s.counter("east", "drop_egress_no_owner")).as("none dropped").isEqualTo(dropped);
        assertThat(lab.gateway("east").get("/q/health/ready").body().replaceAll("\\s", ""))
                .as("its readiness says where it steers the egress it does not translate")
                .contains("\"egressSteeredTo\":\"10.1.0.2\"");
    }

    /**
     * A pod on an ordinary node: nothing routes it through a gateway, so without the node role its packets reach the
     * legacy host with its own address. The node role, run on that node in node mode, steers them to the Lease holder's
     * node (east-gw-2 here), which translates them; its Node's address is where that node accepts them from.
     */
    @Test
    @Order(11)
    void aPodOnAnOrdinaryNodeLeavesWithItsEgressAddressThroughTheNodeRole() {
        lab.addOrdinaryEastNode();
        String[] answer = {""};
        int leakedWithout = lab.packetsAtLegacyHostFrom(HybridLab.NODE_POD, () -> answer[0] = nodePodToLegacy());
        assertThat(leakedWithout)
                .as("without the node role the pod's packets leave with its own address: %s", answer[0])
                .isPositive();

        GatewayProcess role = lab.startNodeRole();
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(30), () -> ready(role).contains("\"nodeRolePods\":1")))
                .as("the node role steers its node's pod; see %s: %s", role.log(), ready(role))
                .isNotNegative();
        assertThat(ready(role)).contains("\"egressSteeredTo\":\"10.1.0.2\"", "\"status\":\"UP\"");
        long steered = nodeRoleCounter(role, "steered");
        int leaked = lab.packetsAtLegacyHostFrom(
                HybridLab.NODE_POD,
                () -> BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = nodePodToLegacy()).contains("saw")));
        assertThat(answer[0])
                .as("the pod's connection left with the egress address, through the node that serves it")
                .isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        assertThat(leaked)
                .as("packets with the pod's own address at the legacy host once the node role steers")
                .isZero();
        assertThat(nodeRoleCounter(role, "steered"))
                .as("the node role steered them")
                .isGreaterThan(steered);
        assertThat(nodeRoleCounter(role, "reply_in")).as("and took the replies").isPositive();
        assertThat(info(role)).contains("\"mode\":\"node\"", "\"leader\":\"east-gw-2\"");
    }

    /**
     * The node role's return half: a Service served only by the pod on the ordinary node, whose own route to the legacy
     * LAN leaves by its uplink and to which no gateway routes. While no node role Pod is Ready there the VIP does not
     * work; once it is, the gateways send its flows to the node in IPIP and the node role returns the replies to the
     * gateway that translated them: the client gets its answer from the VIP, and the pod saw the client's own address.
     */
    @Test
    @Order(12)
    void aBackendOnAnOrdinaryNodeAnswersALegacyClientThroughTheGatewayThatTranslatedItsFlow() {
        GatewayProcess role = lab.gateway("east3");
        lab.serveFromNodePod();
        assertThat(BgpRouter.await(Duration.ofSeconds(20), () -> lab.routersHave(HybridLab.NODE_VIP + "/32")))
                .as("both routers learned the node pod's VIP")
                .isTrue();
        String before = toNodeVip();
        assertThat(before)
                .as("without a ready node role there the pod's flows are routed plainly, and never answered")
                .doesNotContain("saw");

        lab.nodeRolePodReady();
        String[] answer = {""};
        assertThat(BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = toNodeVip()).contains("saw")))
                .as("the VIP answered once the node role's Pod was Ready: %s", answer[0])
                .isTrue();
        assertThat(answer[0])
                .as("the pod saw the legacy client's own address")
                .isEqualTo("node pod saw " + HybridLab.LEGACY_HOST);
        assertThat(nodeRoleCounter(role, "flow_in"))
                .as("the node role took the flows in")
                .isPositive();
        assertThat(nodeRoleCounter(role, "returned"))
                .as("and sent the replies back to the gateway")
                .isPositive();
        long sent = datapathCounter(lab.gateway("east"), "backend_node")
                + datapathCounter(lab.gateway("east2"), "backend_node");
        assertThat(sent).as("the gateways sent the flows to the node").isPositive();
    }

    /**
     * The same pod behind a VIP of the other cluster: west translates the legacy client's flow and tunnels it to east,
     * east relays it to the pod's node in IPIP, and the node role returns the replies to east, which sends them back
     * through the tunnel to west. The client gets its answer from west's VIP, and the pod saw the client's own address.
     */
    @Test
    @Order(13)
    void aFlowAnotherClusterTranslatesForABackendOnAnOrdinaryNodeComesBackThroughBothGateways() {
        GatewayProcess role = lab.gateway("east3");
        long tunnelled = datapathCounter(lab.gateway("west"), "tunnel_out");
        long relayed = datapathCounter(lab.gateway("east"), "backend_node");
        long flowsIn = nodeRoleCounter(role, "flow_in");
        long returned = nodeRoleCounter(role, "returned");
        long lost = datapathCounter(lab.gateway("east"), "drop_tunnel_route");
        lab.exportNodePodFromWest();
        assertThat(BgpRouter.await(
                        Duration.ofSeconds(20),
                        () -> lab.routers().stream()
                                .allMatch(r -> r.routeDetails(HybridLab.WEST_NODE_VIP + "/32")
                                        .contains("172.16.2.2"))))
                .as("both routers learned west's VIP for the node pod from west")
                .isTrue();
        String[] answer = {""};
        boolean answered = BgpRouter.await(
                Duration.ofSeconds(20), () -> (answer[0] = toVip(HybridLab.WEST_NODE_VIP)).contains("saw"));
        assertThat(answered)
                .as(() -> "west's VIP answered: " + answer[0] + "; west's translations "
                        + lab.gateway("west")
                                .get("/api/v1/datapath/translations")
                                .body() + "; west's counters "
                        + lab.gateway("west").get("/api/v1/datapath/counters").body() + "; east's counters "
                        + lab.gateway("east").get("/api/v1/datapath/counters").body() + "; see " + lab.dir())
                .isTrue();
        assertThat(answer[0])
                .as("the pod in east saw the legacy client's own address")
                .isEqualTo("node pod saw " + HybridLab.LEGACY_HOST);
        assertThat(datapathCounter(lab.gateway("west"), "tunnel_out"))
                .as("west tunnelled the flow to east")
                .isGreaterThan(tunnelled);
        assertThat(datapathCounter(lab.gateway("east"), "backend_node"))
                .as("east relayed it to the pod's node")
                .isGreaterThan(relayed);
        assertThat(nodeRoleCounter(role, "flow_in"))
                .as("the node role took it in")
                .isGreaterThan(flowsIn);
        assertThat(nodeRoleCounter(role, "returned"))
                .as("and sent the replies back to east")
                .isGreaterThan(returned);
        assertThat(datapathCounter(lab.gateway("east"), "drop_tunnel_route"))
                .as("east lost nothing between the two tunnels")
                .isEqualTo(lost);
    }

    /**
     * The other way round, with west's backend behind west's own ordinary node: east translates the legacy client's flow
     * to its VIP and tunnels it to west, west relays it to the pod's node in IPIP, and west's node role returns the
     * replies to west, which sends them back through the tunnel to east. Until the node role's Pod there is Ready the
     * VIP is not answered: nothing in west routes to the pod, and nothing routes its replies to a gateway. (East has one
     * gateway node here: its second starts in the next test.)
     */
    @Test
    @Order(7)
    void aBackendOnWestsOrdinaryNodeAnswersALegacyClientThroughEastsVip() {
        GatewayProcess role = lab.startWestNodeRole();
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(30), () -> ready(role).contains("\"status\":\"UP\"")))
                .as("west's node role is ready; see %s: %s", role.log(), ready(role))
                .isNotNegative();
        lab.serveFromWestNodePod();
        String vip = HybridLab.EAST_VIP_FOR_WEST_NODE;
        assertThat(BgpRouter.await(
                        Duration.ofSeconds(20),
                        () -> lab.routers().stream()
                                .allMatch(r -> r.routeDetails(vip + "/32").contains("172.16.1.2"))))
                .as("both routers learned east's VIP for west's node pod")
                .isTrue();
        assertThat(toVip(vip))
                .as("without a ready node role in west the pod's flows are routed plainly, and never answered")
                .doesNotContain("saw");

        long tunnelled = datapathCounter(lab.gateway("east"), "tunnel_out");
        long relayed = datapathCounter(lab.gateway("west"), "backend_node");
        lab.westNodeRolePodReady();
        String[] answer = {""};
        assertThat(BgpRouter.await(Duration.ofSeconds(20), () -> (answer[0] = toVip(vip)).contains("saw")))
                .as(() -> "east's VIP answered once west's node role's Pod was Ready: " + answer[0]
                        + "; west's counters "
                        + lab.gateway("west").get("/api/v1/datapath/counters").body() + "; see " + lab.dir())
                .isTrue();
        List<String> answers = toVip(vip, 16);
        assertThat(answers)
                .as(() -> "every flow reached the pod with the client's own address; counters of east "
                        + counters(lab.gateway("east")) + "; of west " + counters(lab.gateway("west"))
                        + "; west's node role "
                        + lab.gateway("west2")
                                .get("/q/metrics")
                                .body()
                                .lines()
                                .filter(l -> l.startsWith("meshgw_node_role_packets_total"))
                                .toList()
                        + "; see " + lab.dir())
                .containsOnly("west node pod saw " + HybridLab.LEGACY_HOST);
        assertThat(datapathCounter(lab.gateway("east"), "tunnel_out"))
                .as("east tunnelled the flows to west")
                .isGreaterThan(tunnelled);
        assertThat(datapathCounter(lab.gateway("west"), "backend_node"))
                .as("west relayed them to the pod's node")
                .isGreaterThan(relayed);
        assertThat(nodeRoleCounter(role, "flow_in"))
                .as("west's node role took them in")
                .isPositive();
        assertThat(nodeRoleCounter(role, "returned"))
                .as("and sent the replies back to west")
                .isPositive();
    }

    /** A gateway's datapath counters that are not zero, for a failure's message. */
    static String counters(GatewayProcess g) {
        return java.util.regex.Pattern.compile("\\{\"name\":\"(\\w+)\",\"description\":\"[^\"]*\",\"packets\":(\\d+)")
                .matcher(g.get("/api/v1/datapath/counters").body())
                .results()
                .filter(m -> !m.group(2).equals("0"))
                .map(m -> m.group(1) + "=" + m.group(2))
                .toList()
                .toString();
    }

    static String toNodeVip() {
        return toVip(HybridLab.NODE_VIP);
    }

    /** The answers to {@code connections} connections, one after the other, from the legacy host to the VIP. */
    static List<String> toVip(String vip, int connections) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            answers.add(toVip(vip));
        }
        return answers;
    }

    static String toVip(String vip) {
        CommandResult r = lab.fromLegacy(vip + ":80");
        return r.ok() ? r.stdout().strip() : "failed: " + r.stderr().strip();
    }

    /** A datapath counter of a gateway from its metrics. */
    static long datapathCounter(GatewayProcess g, String outcome) {
        var m = java.util.regex.Pattern.compile(
                        "meshgw_datapath_packets_total\\{outcome=\"" + outcome + "\"[^}]*\\} ([0-9.eE+]+)")
                .matcher(g.get("/q/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    static String nodePodToLegacy() {
        CommandResult r = lab.fromNodePod(HybridLab.LEGACY_HOST + ":9000");
        return r.ok() ? r.stdout().strip() : "failed: " + r.stderr().strip();
    }

    static String ready(GatewayProcess g) {
        return g.get("/q/health/ready").body().replaceAll("\\s", "");
    }

    /** A node-role counter from its metrics. */
    static long nodeRoleCounter(GatewayProcess g, String outcome) {
        var m = java.util.regex.Pattern.compile(
                        "meshgw_node_role_packets_total\\{outcome=\"" + outcome + "\"[^}]*\\} ([0-9.eE+]+)")
                .matcher(g.get("/q/metrics").body());
        return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    @Order(14)
    void killingTheLeaderResetsNoFlowAndTheOtherNodeTakesOverWithoutTheMeshLosingEast() throws Exception {
        assertThat(info(lab.gateway("east2"))).contains("\"leading\":true");
        Failover f = Failover.watch();
        long killed = System.nanoTime();
        lab.gateway("east2").kill();
        long takeover = Scenarios.millisUntil(
                Duration.ofSeconds(40), () -> info(lab.gateway("east")).contains("\"leading\":true"));
        assertThat(takeover).as("east-gw-1 took the Lease of the killed leader").isNotNegative();
        long status =
                Scenarios.millisUntil(Duration.ofSeconds(20), () -> servedBy().equals(List.of("east-gw-1")));
        assertThat(status)
                .as("the new leader serves the egress address and says so in status")
                .isNotNegative();
        long sinceKill = (System.nanoTime() - killed) / 1_000_000;
        String[] answer = {""};
        long egress =
                Scenarios.millisUntil(Duration.ofSeconds(20), () -> (answer[0] = s.podToLegacy(9000)).contains("saw"));
        assertThat(answer[0])
                .as("a new connection from the pod leaves with the egress address, now east-gw-1's")
                .isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        long egressSinceKill = (System.nanoTime() - killed) / 1_000_000;
        String[] fromNode = {""};
        Scenarios.millisUntil(Duration.ofSeconds(20), () -> (fromNode[0] = nodePodToLegacy()).contains("saw"));
        assertThat(fromNode[0])
                .as("the ordinary node's pod follows the Lease: its node role steers it to east-gw-1 now")
                .isEqualTo("legacy billing saw " + HybridLab.EGRESS_SOURCE);
        long nodeEgressSinceKill = (System.nanoTime() - killed) / 1_000_000;
        assertThat(ready(lab.gateway("east3"))).contains("\"egressSteeredTo\":\"172.16.9.1\"");
        GatewayProcess.sleep(3000);
        f.stop();
        System.err.printf(
                "leader SIGKILLed -> east-gw-1 leads after %d ms, status names it %d ms later (%d ms after the kill);"
                        + " a pod's new connection left with the egress address %d ms after the kill (%d ms of"
                        + " tries), the ordinary node's pod's %d ms after it; longest echo wait of a flow %d ms%n",
                takeover, status, sinceKill, egressSinceKill, egress, nodeEgressSinceKill, longestWait());
        f.assertNothingLost();

        // The node's gateway comes back, as its DaemonSet would start it again: it follows, and its node serves again.
        lab.startSecondEastReplica();
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(30), () -> bothNextHops(lab.legacyRouterKernelRoute(VIP))))
                .as("the VIP is routed over both nodes again")
                .isNotNegative();
        assertThat(Scenarios.millisUntil(
                        Duration.ofSeconds(20), () -> info(lab.gateway("east2")).contains("\"leader\":\"east-gw-1\"")))
                .as("the restarted replica follows east-gw-1")
                .isNotNegative();
        assertThat(info(lab.gateway("east2"))).contains("\"leading\":false");
        assertFlowsAlive();
    }

    @Test
    @Order(15)
    void killingTheFollowerResetsNoFlow() throws Exception {
        assertThat(info(lab.gateway("east2"))).contains("\"leading\":false");
        Failover f = Failover.watch();
        lab.gateway("east2").kill();
        GatewayProcess.sleep(6000);
        assertThat(info(lab.gateway("east"))).as("the leader keeps the Lease").contains("\"leading\":true");
        lab.startSecondEastReplica();
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(30), () -> bothNextHops(lab.legacyRouterKernelRoute(VIP))))
                .as("the VIP is routed over both nodes again")
                .isNotNegative();
        GatewayProcess.sleep(2000);
        f.stop();
        System.err.printf("follower SIGKILLed and restarted: longest echo wait of a flow %d ms%n", longestWait());
        f.assertNothingLost();
        assertFlowsAlive();
    }

    @Test
    @Order(16)
    void aGatewayNodeThatDiesSilentlyLosesItsFlowsToTheOtherWithinTheHoldTime() throws Exception {
        Failover f = Failover.watch();
        long before =
                streams.stream().mapToLong(EchoStream::longestWaitMillis).max().orElse(0);
        lab.darkenSecondEastNode();
        try {
            long gone = Scenarios.millisUntil(
                    Duration.ofSeconds(20),
                    () -> !lab.legacyRouterKernelRoute(VIP).contains("via " + HybridLab.EAST2_UPLINK + " "));
            assertThat(gone)
                    .as("the routers stopped sending flows to the dark node: %s", lab.legacyRouterKernelRoute(VIP))
                    .isNotNegative();
            GatewayProcess.sleep(8000); // past the TCP retransmissions of the flows it carried
            f.stop();
            System.err.printf(
                    "east's second node went dark: its next hop left the router after %d ms; longest echo wait of a"
                            + " flow %d ms (before: %d ms)%n",
                    gone, longestWait(), before);
            f.assertNothingLost();
            assertFlowsAlive();
        } finally {
            lab.restoreSecondEastNode();
        }
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(40), () -> bothNextHops(lab.legacyRouterKernelRoute(VIP))))
                .as("the node came back and the VIP is routed over both nodes again")
                .isNotNegative();
        assertFlowsAlive();
        streams.forEach(EchoStream::close);
        streams.clear();
    }

    /** Long enough for any stall the routers or a takeover cause: an echo that takes longer breaks the flow. */
    static final Duration STALL_PATIENCE = Duration.ofSeconds(30);

    private static boolean bothNextHops(String route) {
        return route.contains("via 172.16.1.2 ") && route.contains("via " + HybridLab.EAST2_UPLINK + " ");
    }

    private static long longestWait() {
        return streams.stream().mapToLong(EchoStream::longestWaitMillis).max().orElse(0);
    }

    private static String describe(List<EchoStream> flows) {
        return flows.stream()
                .map(e -> e.localPort() + ": " + e.roundTrips() + " echoes"
                        + (e.failure() == null ? "" : ", broken: " + e.failure()))
                .toList()
                .toString();
    }

    /** Every flow is unbroken and still echoing: a second's worth of echoes more than a moment ago. */
    private static void assertFlowsAlive() {
        long[] before = streams.stream().mapToLong(EchoStream::roundTrips).toArray();
        GatewayProcess.sleep(1500);
        for (int i = 0; i < streams.size(); i++) {
            EchoStream e = streams.get(i);
            assertThat(e.failure())
                    .as("flow from port %d was not broken; all: %s", e.localPort(), describe(streams))
                    .isNull();
            assertThat(e.roundTrips())
                    .as("flow from port %d still echoes; all: %s", e.localPort(), describe(streams))
                    .isGreaterThan(before[i] + 5);
        }
    }

    /**
     * What the other cluster and the routers see while a gateway node fails, polled every 100 ms: west must keep east's
     * export, and both routers the VIP. Also the oldest east's heartbeat was at west.
     */
    private static final class Failover {
        final java.util.concurrent.atomic.AtomicInteger meshGaps = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong silence = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicInteger vipGaps = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean watching = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread thread;

        static Failover watch() {
            Failover f = new Failover();
            f.thread = Thread.ofPlatform().start(() -> {
                while (f.watching.get()) {
                    var east = eastAtWest();
                    if (!seesEastsExport(east)) f.meshGaps.incrementAndGet();
                    f.silence.accumulateAndGet(heartbeatAge(east), Math::max);
                    if (!lab.routersHave(VIP + "/32")) f.vipGaps.incrementAndGet();
                    GatewayProcess.sleep(100);
                }
            });
            return f;
        }

        void stop() throws InterruptedException {
            watching.set(false);
            thread.join();
        }

        void assertNothingLost() {
            assertThat(meshGaps.get())
                    .as("polls in which west did not see east's export")
                    .isZero();
            assertThat(vipGaps.get())
                    .as("polls in which a router did not hold the VIP")
                    .isZero();
            assertThat(streams)
                    .as("no flow through the VIP was reset: %s", describe(streams))
                    .allSatisfy(e -> assertThat(e.failure()).isNull());
        }
    }

    /**
     * East's VIP for the pod on west's ordinary node, now announced by both of east's gateway nodes: the routers spread
     * the legacy client's flows over them and each tunnels its share to west, the second node through the first (it has
     * no link to west). Every flow is answered, whichever node translated it: a gateway pair behind one VIP carries
     * cross-cluster flows on both nodes. Runs after the second node went dark and came back, so it also shows that node
     * routes its tunnel again.
     */
    @Test
    @Order(17)
    void bothOfEastsNodesTunnelTheirShareOfAVipsFlowsToWestsNodePod() {
        String vip = HybridLab.EAST_VIP_FOR_WEST_NODE;
        assertThat(BgpRouter.await(
                        Duration.ofSeconds(30),
                        () -> lab.routers().stream().allMatch(r -> {
                            String details = r.routeDetails(vip + "/32");
                            return details.contains("172.16.1.2") && details.contains(HybridLab.EAST2_UPLINK);
                        })))
                .as("both routers learned east's VIP for west's node pod from both of east's nodes")
                .isTrue();
        long first = datapathCounter(lab.gateway("east"), "tunnel_out");
        long second = datapathCounter(lab.gateway("east2"), "tunnel_out");
        List<String> answers = toVip(vip, 32);
        assertThat(answers)
                .as(() -> "every flow reached the pod with the client's own address and was answered; counters of east "
                        + counters(lab.gateway("east")) + "; of east's second node " + counters(lab.gateway("east2"))
                        + "; of west " + counters(lab.gateway("west")) + "; see " + lab.dir())
                .containsOnly("west node pod saw " + HybridLab.LEGACY_HOST);
        assertThat(datapathCounter(lab.gateway("east"), "tunnel_out"))
                .as("east's first node tunnelled some of the flows")
                .isGreaterThan(first);
        assertThat(datapathCounter(lab.gateway("east2"), "tunnel_out"))
                .as("east's second node tunnelled some of the flows")
                .isGreaterThan(second);
    }

    @Test
    @Order(18)
    void anExportDeletedInTheApiServerIsWithdrawnAndThenReleased() {
        api.genericKubernetesResources("meshgw.io/v1alpha1", "MeshServiceExport")
                .inNamespace("shop")
                .withName("web")
                .delete();
        long withdrawn = Scenarios.millisUntil(
                Duration.ofSeconds(20), () -> lab.routers().stream().noneMatch(r -> r.holds(HybridLab.VIP + "/32")));
        assertThat(withdrawn).as("both routers lost the VIP").isNotNegative();
        assertThat(Scenarios.millisUntil(Duration.ofSeconds(20), () -> export("shop", "web") == null))
                .as("the finalizer was released once nothing of the export was left, and the object went")
                .isNotNegative();
    }

    private static String info(GatewayProcess g) {
        try {
            return g.get("/api/v1/info").body();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** East as west's gateway reads its topic: its row of west's mesh clusters, empty when west cannot say. */
    private static Optional<Map<String, String>> eastAtWest() {
        try {
            return FlatJson.objects(
                            lab.gateway("west").get("/api/v1/mesh/clusters").body())
                    .stream()
                    .filter(c -> "1".equals(c.get("clusterId")))
                    .findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** West finds east available and its export there. */
    private static boolean seesEastsExport(Optional<Map<String, String>> east) {
        return east.filter(c -> "true".equals(c.get("available")) && Integer.parseInt(c.get("services")) >= 1)
                .isPresent();
    }

    /** How old east's last heartbeat is at west, in milliseconds (0 when west cannot say). */
    private static long heartbeatAge(Optional<Map<String, String>> east) {
        return east.map(c -> c.get("lastHeartbeatAgeMs"))
                .filter(age -> !"null".equals(age))
                .map(Long::parseLong)
                .orElse(0L);
    }

    @SuppressWarnings("unchecked")
    private static List<String> servedBy() {
        return api
                .genericKubernetesResources("meshgw.io/v1alpha1", "EgressIdentity")
                .inNamespace("shop")
                .list()
                .getItems()
                .stream()
                .map(e -> (Map<String, Object>) e.getAdditionalProperties().getOrDefault("status", Map.of()))
                .map(st -> String.valueOf(st.get("servedBy")))
                .toList();
    }

    private static String leaseHolder() {
        Lease lease = api.resources(Lease.class)
                .inNamespace("meshgw-system")
                .withName("meshgw-operator")
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static GenericKubernetesResource export(String namespace, String name) {
        return api.genericKubernetesResources("meshgw.io/v1alpha1", "MeshServiceExport")
                .inNamespace(namespace)
                .withName(name)
                .get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(String namespace, String name) {
        var e = export(namespace, name);
        return e == null
                ? Map.of()
                : (Map<String, Object>) e.getAdditionalProperties().getOrDefault("status", Map.of());
    }

    private static String status(String namespace, String name, String field) {
        return Optional.ofNullable(status(namespace, name).get(field))
                .map(Object::toString)
                .orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static String ready(String namespace, String name) {
        var conditions = (List<Map<String, Object>>) status(namespace, name).getOrDefault("conditions", List.of());
        return conditions.stream()
                .filter(c -> "Ready".equals(c.get("type")))
                .map(c -> String.valueOf(c.get("status")))
                .findFirst()
                .orElse(null);
    }
}
