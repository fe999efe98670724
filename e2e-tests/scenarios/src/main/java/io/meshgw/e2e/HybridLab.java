package io.meshgw.e2e;

import io.meshgw.testkit.BrokerSite;
import io.meshgw.testkit.LabBroker;
import io.meshgw.testkit.bgp.ScriptedBgpPeer;
import io.meshgw.testkit.net.Command;
import io.meshgw.testkit.net.CommandResult;
import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.net.PartNamespace;
import io.meshgw.testkit.parts.LabParts;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.BirdRouter;
import io.meshgw.testkit.routers.FrrRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A hybrid datacenter on one machine, in network namespaces it creates and removes:
 *
 * <pre>
 *                       ┌ dc router 1 (BIRD) ┐
 *   legacy host ── LAN ─┤    AS 65001        ├─ LAN 172.16.1.0/29 ── up0 [gateway east] cl0 ── web-a 10.1.0.10, client 10.1.0.20
 *   192.0.2.10          │ .1              .1 │                               ms0 │
 *                       │ .2              .3 │                               ms0 │
 *                       └ dc router 2 (FRR) ─┴─ LAN 172.16.2.0/29 ── up0 [gateway west] cl0 ── web-b 10.2.0.10
 * </pre>
 *
 * The datacenter is dual-homed: two routers of AS 65001, BIRD (.1) and FRR (.3), share each
 * gateway's uplink LAN and the legacy LAN, and both gateways (AS 65000) peer with both. The
 * legacy host and the gateways route through BIRD; FRR learns and installs the same routes, as
 * the second router of a pair does. The gateways read their cluster's objects from a standalone
 * file and share state through a real Kafka broker on the host. The service shop/web is exported
 * by both clusters; east gives it the legacy VIP 198.51.100.10. East's client pods leave toward the
 * legacy network as 203.0.113.1. West routes the legacy LAN out of its own uplink; replies of west's
 * backends to east's VIP flows come back to east, which translated them, through the gateways' IPIP
 * tunnel over ms0 (tunnel endpoints 172.16.9.1 and .2, published through the mesh).
 *
 * <p>In Kubernetes mode ({@link #startInKubernetesMode}) each cluster has an API server of its own in place of its file,
 * and the scenarios can add further nodes to each cluster: a second gateway node in east, and in either cluster an
 * ordinary node with a pod behind it, whose packets nothing routes to a gateway unless meshgw's node role runs there.
 *
 * <p>The LANs are bridges in BIRD's namespace, so more BGP speakers can join them: a scenario's
 * scripted peer sits at 172.16.1.4 on east's.
 *
 * <p>FRR and the broker come from {@link LabParts}: local processes (FRR in its namespace, the
 * broker on the host at 10.255.1.1), or, where a Docker engine exists or {@code
 * -Dmeshgw.e2e.parts=containers} asks, the FRR and Kafka images in containers whose namespaces
 * the lab wires like its own (the broker then at 10.255.1.6 behind east). The lab and the
 * scenarios are the same code either way.
 */
public final class HybridLab implements AutoCloseable {
    /** The Kubernetes Nodes of east's gateway replicas in Kubernetes mode. */
    public static final String EAST_NODE = "east-node-1";

    public static final String EAST_NODE_2 = "east-node-2";

    /** East's ordinary node (no gateway): its pods leave through its own uplink, unless the node role steers them. */
    public static final String EAST_NODE_3 = "east-node-3";

    /** The ordinary node's address on the node network (east's pod LAN), its Node's InternalIP. */
    public static final String EAST3_ADDRESS = "10.1.0.3";

    /** A pod behind the ordinary node, selected by the same EgressIdentity as the client pod. */
    public static final String NODE_POD = "10.1.1.20";

    /** The VIP of the Service the pod on east's ordinary node serves ({@link #serveFromNodePod()}). */
    public static final String NODE_VIP = "198.51.100.9";

    /** The VIP west gives the same Service ({@link #exportNodePodFromWest()}): its flows cross to east. */
    public static final String WEST_NODE_VIP = "198.51.100.8";

    /** The Kubernetes Node of west's gateway in Kubernetes mode. */
    public static final String WEST_NODE = "west-node-1";

    /** West's ordinary node (no gateway). */
    public static final String WEST_NODE_2 = "west-node-2";

    /** West's ordinary node's address on west's node network (west's pod LAN), its Node's InternalIP. */
    public static final String WEST2_ADDRESS = "10.2.0.3";

    /** A pod behind west's ordinary node, the one backend of shop/west2web. */
    public static final String WEST_NODE_POD = "10.2.1.20";

    /**
     * The VIP east gives shop/west2web ({@link #serveFromWestNodePod()}), whose one backend is the pod on west's
     * ordinary node: east tunnels its flows to west, west relays them to that node.
     */
    public static final String EAST_VIP_FOR_WEST_NODE = "198.51.100.7";

    /** East's second gateway node's address on east's uplink LAN (Kubernetes mode). */
    public static final String EAST2_UPLINK = "172.16.1.5";

    /** The broker's address when it has a namespace (a container) of its own, linked to east. */
    private static final String BROKER_BEHIND_EAST = "10.255.1.6";

    public static final String VIP = "198.51.100.10";
    public static final String LEGACY_HOST = "192.0.2.10";
    public static final String EGRESS_SOURCE = "203.0.113.1";
    /** What both datacenter routers announce for the legacy LAN: LegacyService billing selects it. */
    public static final String LEGACY_PREFIX = "192.0.2.0/24";

    public static final String WEB_A = "10.1.0.10";
    public static final String WEB_B = "10.2.0.10";
    public static final String CLIENT = "10.1.0.20";
    public static final String TOKEN = "lab-token";
    /** The legacy billing service's name, served by each gateway's DNS from its LegacyService. */
    public static final String BILLING_NAME = "billing.legacy.meshgw.internal";
    /** The datacenter's AS. */
    public static final long DC_ASN = 65001;
    /** Where a scenario's scripted BGP peer sits: on east's uplink LAN. */
    public static final String SCRIPTED_PEER = "172.16.1.4";
    /** The scripted peer's AS. */
    public static final long SCRIPTED_ASN = 65002;

    private final Path dir;
    private final LabParts parts;
    private final List<PartNamespace> namespaces = new ArrayList<>();
    private final Map<String, GatewayProcess> gateways = new LinkedHashMap<>();
    private final Map<String, ClusterFile.Spec> specs = new LinkedHashMap<>();
    private final Map<String, ClusterFile> files = new LinkedHashMap<>();
    private final Map<String, NetNs> gatewayNs = new LinkedHashMap<>();
    private final List<Path> resolvDirs = new ArrayList<>();
    private NetNs legacy;
    private NetNs dc;
    private NetNs webA;
    private NetNs webB;
    private NetNs client;
    /** The pod behind east's ordinary node, once added. */
    private NetNs nodePod;

    private BirdRouter bird;
    private FrrRouter frr;
    private NetNs scriptedNs;
    private ScriptedBgpPeer scripted;
    private LabBroker broker;
    /** The CRDs the API servers hold in Kubernetes mode; null when the gateways read files. */
    private final Path crds;

    /** The API server of each cluster whose gateway runs in Kubernetes mode (both, in that mode); none otherwise. */
    private final Map<String, LabApiServer> apis = new LinkedHashMap<>();
    /** The pod behind west's ordinary node, once added. */
    private NetNs westNodePod;
    /**
     * `ip netns exec` gives each process its own /sys, so /sys/fs/bpf is not shared with the
     * gateways; the lab mounts a bpffs of its own where they all see it, like a hostPath does.
     */
    private final Path bpffs = bpffs();

    private HybridLab(Path dir, LabParts parts, Path crds) {
        this.dir = dir;
        this.parts = parts;
        this.crds = crds;
    }

    /**
     * Builds the topology and starts the routers, the broker, the servers and both gateways, with
     * FRR and the broker from {@link LabParts#select()}.
     */
    public static HybridLab start(Path dir) throws IOException {
        return start(dir, LabParts.select());
    }

    /** Builds the topology with FRR and the broker from {@code parts}. */
    public static HybridLab start(Path dir, LabParts parts) throws IOException {
        return start(new HybridLab(Files.createDirectories(dir), parts, null));
    }

    /**
     * The same lab in Kubernetes mode: each cluster's gateway watches an API server of its own ({@link LabApiServer},
     * on the host, at that cluster's host-side address) that holds the CRDs of {@code crds} and the objects the
     * cluster's file would hold, elects itself through a Lease there and writes status there.
     */
    public static HybridLab startInKubernetesMode(Path dir, Path crds) throws IOException {
        return start(new HybridLab(Files.createDirectories(dir), LabParts.select(), crds));
    }

    private static HybridLab start(HybridLab lab) throws IOException {
        try {
            lab.build();
            return lab;
        } catch (RuntimeException | IOException e) {
            lab.close();
            throw e;
        }
    }

    private NetNs ns(String label) {
        NetNs n = NetNs.create(label);
        namespaces.add(n);
        return n;
    }

    /** Unmounts the bpffs of earlier labs whose process died without cleaning up. */
    private static void removeStaleMounts() throws IOException {
        try (var entries = Files.list(Path.of("/run"))) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(NetNs.PREFIX) || !n.endsWith("-bpf")) {
                    continue;
                }
                String digits = n.substring(NetNs.PREFIX.length(), n.length() - "-bpf".length());
                if (digits.chars().allMatch(Character::isDigit)
                        && ProcessHandle.of(Long.parseLong(digits)).isEmpty()) {
                    Command.run(List.of("umount", "-l", p.toString()));
                    Command.run(List.of("rmdir", p.toString()));
                }
            }
        }
    }

    private void build() throws IOException {
        NetNs.removeStale();
        removeStaleMounts();
        removeStaleResolvDirs();
        mountBpffs(bpffs);
        legacy = ns("leg");
        dc = ns("dc");
        PartNamespace dc2 = parts.frrNamespace("dc2");
        namespaces.add(dc2);
        NetNs east = ns("east");
        NetNs west = ns("west");
        webA = ns("weba");
        client = ns("cli");
        webB = ns("webb");
        gatewayNs.put("east", east);
        gatewayNs.put("west", west);

        lan(dc, "l0", "192.0.2.1/24");
        plug(dc, "l0", "l0h", legacy, "eth0", LEGACY_HOST + "/24");
        plug(dc, "l0", "l0f", dc2, "l0", "192.0.2.2/24");
        legacy.exec("ip", "route", "add", "default", "via", "192.0.2.1").check();
        lan(dc, "a0", "172.16.1.1/29");
        plug(dc, "a0", "a0e", east, "up0", "172.16.1.2/29");
        plug(dc, "a0", "a0f", dc2, "e0", "172.16.1.3/29");
        lan(dc, "b0", "172.16.2.1/29");
        plug(dc, "b0", "b0w", west, "up0", "172.16.2.2/29");
        plug(dc, "b0", "b0f", dc2, "w0", "172.16.2.3/29");
        NetNs.link(east, "ms0", "172.16.9.1/30", west, "ms0", "172.16.9.2/30");
        for (PartNamespace router : List.of(dc, dc2)) {
            sysctl(router, "net.ipv4.ip_forward=1");
            // ECMP by addresses and ports, as datacenter routers hash: one legacy host's flows to a VIP spread over
            // the gateway nodes that announce it.
            sysctl(router, "net.ipv4.fib_multipath_hash_policy=1");
        }
        lan(east, "cl0", "10.1.0.1/24");
        lan(west, "cl0", "10.2.0.1/24");
        pod(east, webA, "pa", WEB_A, "10.1.0.1");
        pod(east, client, "pc", CLIENT, "10.1.0.1");
        resolvConf(client, "10.1.0.1");
        pod(west, webB, "pb", WEB_B, "10.2.0.1");
        for (NetNs gw : List.of(east, west)) {
            sysctl(gw, "net.ipv4.ip_forward=1");
            sysctl(gw, "net.ipv4.conf.all.rp_filter=0");
            sysctl(gw, "net.ipv4.conf.default.rp_filter=0");
        }
        east.exec("ip", "route", "add", "default", "via", "172.16.1.1").check();
        west.exec("ip", "route", "add", "default", "via", "172.16.2.1").check();
        // No route between the clusters' pod networks and no route back to the legacy LAN through east: west sends it
        // out of its own uplink, as a datacenter would. East's VIP flows to west's backends go through the gateways'
        // tunnel, and their replies come back to east the same way.

        // Host links: the broker listens on east's host-side address; the admin APIs on the gateways' side.
        east.linkToHost("10.255.1.1/30", "h0", "10.255.1.2/30");
        west.linkToHost("10.255.2.1/30", "h0", "10.255.2.2/30");
        west.exec("ip", "route", "add", "10.255.1.1/32", "via", "10.255.2.1").check();

        List<BgpNeighbor> gatewayNeighbors =
                new ArrayList<>(List.of(BgpNeighbor.of("172.16.1.2", 65000), BgpNeighbor.of("172.16.2.2", 65000)));
        if (crds != null) {
            gatewayNeighbors.add(BgpNeighbor.of(EAST2_UPLINK, 65000)); // east's second gateway node
        }
        bird = (BirdRouter) BgpRouter.start(
                RouterKind.BIRD,
                dc,
                RouterSpec.of("dc", "192.0.2.1", DC_ASN, gatewayNeighbors, List.of(LEGACY_PREFIX))
                        .withKernelRoutes(),
                Files.createDirectories(dir.resolve("bird")));
        frr = parts.frr(
                dc2,
                RouterSpec.of("dc2", "192.0.2.2", DC_ASN, gatewayNeighbors, List.of(LEGACY_PREFIX))
                        .withKernelRoutes(),
                Files.createDirectories(dir.resolve("frr")));
        broker = parts.broker(new BrokerSite("10.255.1.1", BROKER_BEHIND_EAST, kafka -> {
            // A broker with a namespace of its own hangs off east; west reaches it through east.
            NetNs.link(east, "kf0", "10.255.1.5/30", kafka, "eth0", BROKER_BEHIND_EAST + "/30");
            kafka.exec("ip", "route", "add", "default", "via", "10.255.1.5").check();
            west.exec("ip", "route", "add", BROKER_BEHIND_EAST + "/32", "via", "172.16.9.1")
                    .check();
        }));

        // The web servers greet, then echo what they are sent until the client closes: one exchange is a
        // request, a long-lived stream an EchoStream.
        server(webA, 8080, "web-a of east saw $SOCAT_PEERADDR; cat");
        server(webB, 8080, "web-b of west saw $SOCAT_PEERADDR; cat");
        server(legacy, 9000, "legacy billing saw $SOCAT_PEERADDR");
        server(legacy, 9100, "legacy admin saw $SOCAT_PEERADDR");

        specs.put(
                "east",
                new ClusterFile.Spec(
                        "east",
                        List.of(
                                new ClusterFile.Peer("dc", "172.16.1.1", DC_ASN, true, 0),
                                new ClusterFile.Peer("dc2", "172.16.1.3", DC_ASN, true, 0)),
                        List.of(),
                        VIP,
                        EGRESS_SOURCE,
                        List.of(CLIENT),
                        List.of(9000)));
        specs.put(
                "west",
                new ClusterFile.Spec(
                        "west",
                        List.of(
                                new ClusterFile.Peer("dc", "172.16.2.1", DC_ASN, true, 0),
                                new ClusterFile.Peer("dc2", "172.16.2.3", DC_ASN, true, 0)),
                        List.of(WEB_B),
                        null,
                        null,
                        List.of(),
                        List.of()));
        if (crds != null) {
            // East runs two gateway nodes here: fast failover instead of graceful restart.
            specs.put(
                    "east",
                    specs.get("east")
                            .withPeers(specs.get("east").peers().stream()
                                    .map(ClusterFile.Peer::withFastFailover)
                                    .toList()));
            startApiServer("east", "10.255.1.1", Map.of(EAST_NODE, "east-gw-1", EAST_NODE_2, "east-gw-2"));
            startApiServer("west", "10.255.2.1", Map.of(WEST_NODE, "west-gw-1"));
        }
        for (String c : specs.keySet()) {
            ClusterFile f = new ClusterFile(dir.resolve(c + ".yaml"));
            files.put(c, f);
            write(c, specs.get(c), null);
        }
        startGateway("east");
        startGateway("west");
    }

    /**
     * Starts {@code cluster}'s API server on {@code host} with the CRDs, the Nodes its gateway replicas run on (each
     * watches its own, whose labels may drain it) and the replicas' Pods, as their DaemonSet's would be: a Node's
     * gateway description counts for the other clusters only while the Pod it names runs there.
     *
     * @param replicas gateway replica identity by Node name
     */
    private void startApiServer(String cluster, String host, Map<String, String> replicas) throws IOException {
        LabApiServer server = LabApiServer.start(host);
        apis.put(cluster, server);
        try (var files = Files.list(crds)) {
            for (Path crd : files.sorted().toList()) {
                server.create(Files.readString(crd));
            }
        }
        for (var replica : replicas.entrySet()) {
            server.create("apiVersion: v1\nkind: Node\nmetadata:\n  name: " + replica.getKey()
                    + "\n  labels: {topology.kubernetes.io/zone: lab-" + cluster + "}\n");
            server.create("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: %s, namespace: meshgw-system}
                    spec:
                      nodeName: %s
                      hostNetwork: true
                      containers: [{name: gateway, image: meshgw}]
                    status: {phase: Running}
                    """.formatted(replica.getValue(), replica.getKey()));
        }
    }

    /**
     * {@code ip netns exec} bind-mounts {@code /etc/netns/<name>/resolv.conf} over /etc/resolv.conf:
     * the pod's resolver asks its gateway, like a pod's asks the cluster DNS.
     */
    private void resolvConf(NetNs pod, String nameserver) throws IOException {
        Path d = Files.createDirectories(Path.of("/etc/netns", pod.name()));
        resolvDirs.add(d);
        Files.writeString(
                d.resolve("resolv.conf"),
                "nameserver " + nameserver + "\nsearch legacy.meshgw.internal\noptions timeout:1 attempts:2\n");
    }

    private static void sysctl(PartNamespace ns, String kv) {
        ns.exec("sysctl", "-qw", kv).check();
    }

    private static void pod(NetNs gw, NetNs pod, String port, String address, String gateway) {
        plug(gw, "cl0", port, pod, "eth0", address + "/24");
        pod.exec("ip", "route", "add", "default", "via", gateway).check();
    }

    /** A LAN segment: a bridge in {@code owner} with the owner's own address on it. */
    private static void lan(NetNs owner, String bridge, String cidr) {
        owner.exec("ip", "link", "add", bridge, "type", "bridge").check();
        owner.addAddress(bridge, cidr);
    }

    /** Plugs {@code ns} into a bridge of {@code owner}: a veth whose {@code port} end is a bridge port. */
    private static void plug(NetNs owner, String bridge, String port, PartNamespace ns, String ifName, String cidr) {
        Command.check(
                "ip",
                "link",
                "add",
                port,
                "netns",
                owner.name(),
                "type",
                "veth",
                "peer",
                "name",
                ifName,
                "netns",
                ns.linkTarget());
        owner.exec("ip", "link", "set", port, "master", bridge).check();
        owner.exec("ip", "link", "set", port, "up").check();
        ns.addAddress(ifName, cidr);
    }

    private void server(NetNs ns, int port, String reply) {
        ns.spawn(
                List.of("socat", "TCP-LISTEN:" + port + ",fork,reuseaddr", "SYSTEM:echo " + reply),
                dir.resolve(ns.name() + "-" + port + ".log"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !ns.exec("ss", "-ltn").stdout().contains(":" + port + " ")) {
            GatewayProcess.sleep(50);
        }
    }

    private boolean onApiServer(String cluster) {
        return apis.containsKey(cluster);
    }

    /** Puts a cluster's objects where its gateway reads them: its file, or the API server. */
    private void write(String cluster, ClusterFile.Spec spec, String extra) {
        if (onApiServer(cluster)) {
            apis.get(cluster).apply(ClusterFile.render(spec) + (extra == null ? "" : "---\n" + extra));
        } else if (extra == null) {
            files.get(cluster).write(spec);
        } else {
            files.get(cluster).write(spec, extra);
        }
    }

    private Map<String, String> properties(String cluster) {
        boolean east = cluster.equals("east");
        Map<String, String> p = new LinkedHashMap<>();
        if (onApiServer(cluster)) {
            p.put("meshgw.mode", "kubernetes");
            apiClient(p, cluster);
            p.put("meshgw.kubernetes.secrets-namespace", "meshgw-system");
            p.put("meshgw.kubernetes.identity", cluster + "-gw-1");
            p.put("meshgw.kubernetes.node-name", east ? EAST_NODE : WEST_NODE);
        } else {
            p.put("meshgw.mode", "standalone");
            p.put("meshgw.standalone.file", files.get(cluster).path().toString());
        }
        p.put("meshgw.cluster.id", east ? "1" : "2");
        p.put("meshgw.cluster.name", cluster);
        p.put("meshgw.bgp.router-id", east ? "172.16.1.2" : "172.16.2.2");
        p.put("meshgw.bgp.local-asn", "65000");
        p.put("meshgw.datapath.enabled", "true");
        p.put("meshgw.datapath.legacy-interface", "up0");
        p.put("meshgw.datapath.cluster-interface", "cl0,ms0");
        p.put("meshgw.datapath.pin-root", bpffs.resolve(cluster).toString());
        // The gateways' tunnel endpoints, on their link ms0: a flow east translates for web-b goes to west in IPIP.
        p.put("meshgw.datapath.tunnel-endpoint", east ? "172.16.9.1" : "172.16.9.2");
        // Pods resolve LegacyService names through their gateway, as resolv.conf of their namespace says.
        // (In Kubernetes mode the cluster DNS answers for LegacyServices, through the headless Services written.)
        p.put("meshgw.dns.enabled", String.valueOf(!onApiServer(cluster)));
        p.put("meshgw.dns.listen", (east ? "10.1.0.1" : "10.2.0.1") + ":53");
        p.put("meshgw.mesh.enabled", "true");
        p.put("meshgw.mesh.bootstrap-servers", broker.bootstrapServers());
        p.put("meshgw.mesh.replication-factor", "1");
        if (apis.isEmpty()) {
            p.put("meshgw.mesh.heartbeat-seconds", "1");
            // Shorter than a broker restart on purpose: the readers must not take the broker's
            // outage for the other cluster's silence.
            p.put("meshgw.mesh.unavailable-after-seconds", "4");
        }
        // In Kubernetes mode the defaults hold (a heartbeat every 2 s, unavailable after 10 s): a
        // takeover of east's publishing by another replica is measured against what a cluster runs with.
        return p;
    }

    /**
     * The application's own Kubernetes client, pointed at {@code cluster}'s API server as a pod's would be at its
     * cluster's, with the gateways' Lease in meshgw-system.
     */
    private void apiClient(Map<String, String> p, String cluster) {
        p.put("kubernetes.master", apis.get(cluster).url());
        p.put("kubernetes.auth.tryKubeConfig", "false");
        p.put("kubernetes.auth.tryServiceAccount", "false");
        p.put("kubernetes.namespace", "meshgw-system");
        p.put("meshgw.kubernetes.lease-namespace", "meshgw-system");
    }

    /** Starts (or starts again) a cluster's gateway and waits until its admin API answers. */
    public GatewayProcess startGateway(String cluster) {
        String host = cluster.equals("east") ? "10.255.1.2" : "10.255.2.2";
        return startProcess(cluster, gatewayNs.get(cluster), properties(cluster), host);
    }

    /** Starts gateway {@code name} in {@code node} with its admin API on {@code adminHost}, and waits for it. */
    private GatewayProcess startProcess(String name, NetNs node, Map<String, String> properties, String adminHost) {
        GatewayProcess g =
                new GatewayProcess(node, name, properties, dir.resolve("gateway-" + name + ".log"), adminHost, TOKEN);
        gateways.put(name, g);
        return g.start().awaitUp(Duration.ofSeconds(60));
    }

    /**
     * East's second gateway node, in Kubernetes mode against the same API server: a gateway like east's own, with
     * its uplink on east's uplink LAN ({@value #EAST2_UPLINK}, a neighbor of both routers, which run ECMP over the
     * two), its cluster interface on east's pod LAN (10.1.0.2) and a datapath of its own. The pods' default route
     * stays east's (10.1.0.1), so the replies of the flows this node translates come back through east. This node has
     * no link to west: its tunnel endpoint and west's reach each other through east's first node ({@link
     * #routeSecondEastNode}). It reaches the API server and the broker through its host link (10.255.3.2). Registered
     * as gateway {@code east2}; call again to start it again after it was stopped or killed.
     */
    public GatewayProcess startSecondEastReplica() {
        if (!onApiServer("east")) {
            throw new IllegalStateException("a second replica needs east on the API server");
        }
        NetNs node = gatewayNs.computeIfAbsent("east2", k -> {
            NetNs n = ns("eas2");
            plug(dc, "a0", "a0g", n, "up0", EAST2_UPLINK + "/29");
            plug(gatewayNs.get("east"), "cl0", "c2", n, "cl0", "10.1.0.2/24");
            routeNode(n, "east", "10.255.3");
            routeSecondEastNode(n);
            if (broker.bootstrapServers().startsWith(BROKER_BEHIND_EAST + ":")) {
                // A broker container hangs off east: the host and east route between it and this node.
                n.exec("ip", "route", "add", BROKER_BEHIND_EAST + "/32", "via", "10.255.3.1")
                        .check();
                Command.run(List.of("ip", "route", "replace", BROKER_BEHIND_EAST + "/32", "via", "10.255.1.2"))
                        .check();
                gatewayNs
                        .get("east")
                        .exec("ip", "route", "replace", "10.255.3.0/30", "via", "10.255.1.1")
                        .check();
            }
            return n;
        });
        Map<String, String> p = properties("east");
        p.put("meshgw.kubernetes.identity", "east-gw-2");
        p.put("meshgw.kubernetes.node-name", EAST_NODE_2);
        p.put("meshgw.bgp.router-id", EAST2_UPLINK);
        p.put("meshgw.datapath.cluster-interface", "cl0");
        p.put("meshgw.datapath.pin-root", bpffs.resolve("east2").toString());
        // Its own tunnel endpoint, its address on the pods' LAN, written on its Node: the other node steers a pod's
        // egress here while this one holds the Lease, and the Lease holder publishes both nodes' endpoints, so west
        // accepts what either tunnels, and this node tunnels the VIP flows it carries for west's backends to west.
        p.put("meshgw.datapath.tunnel-endpoint", "10.1.0.2");
        return startProcess("east2", node, p, "10.255.3.2");
    }

    /**
     * Where a cluster's further nodes plug in: their uplink LAN (a bridge of the datacenter router's namespace) and its
     * router, the first gateway node's address on the node network (the cluster's pod LAN) and its tunnel endpoint
     * (on its link to the other cluster), and the cluster's API server.
     */
    private record Site(String uplinkLan, String router, String gatewayOnNodes, String tunnelEndpoint, String apiHost) {
        static Site of(String cluster) {
            return cluster.equals("east")
                    ? new Site("a0", "172.16.1.1", "10.1.0.1", "172.16.9.1", "10.255.1.1")
                    : new Site("b0", "172.16.2.1", "10.2.0.1", "172.16.9.2", "10.255.2.1");
        }
    }

    /**
     * Routing of one of a cluster's further nodes, whose uplink is on the cluster's uplink LAN and which has a leg on
     * the cluster's pod LAN (the node network): it forwards, without reverse-path filtering (steered replies are
     * decapsulated on the node network while the legacy LAN routes out of the uplink), its default route is the
     * datacenter router, and the first gateway node's tunnel endpoint (on its link to the other cluster) is reached over
     * the node network, as nodes reach each other's addresses; steered egress and its replies go between the nodes this
     * way. The API server is reached over a host link {@code <hostNet>.1/30 - <hostNet>.2/30}.
     */
    private static void routeNode(NetNs n, String cluster, String hostNet) {
        sysctl(n, "net.ipv4.ip_forward=1");
        sysctl(n, "net.ipv4.conf.all.rp_filter=0");
        sysctl(n, "net.ipv4.conf.default.rp_filter=0");
        routeOverLinks(n, cluster);
        n.linkToHost(hostNet + ".1/30", "h0", hostNet + ".2/30");
        n.exec("ip", "route", "add", Site.of(cluster).apiHost() + "/32", "via", hostNet + ".1")
                .check();
    }

    /**
     * A further node's routes over its uplink and its node-network leg: the kernel drops them when either link goes
     * down, so a node whose links come back gets them again here.
     */
    private static void routeOverLinks(NetNs n, String cluster) {
        Site site = Site.of(cluster);
        n.exec("ip", "route", "replace", "default", "via", site.router()).check();
        n.exec("ip", "route", "replace", site.tunnelEndpoint() + "/32", "via", site.gatewayOnNodes())
                .check();
    }

    /**
     * The underlay between east's second node's tunnel endpoint (10.1.0.2) and west's (on west's link to east's first
     * node): they reach each other through that node, as gateway nodes' addresses are routed between datacenters. Only
     * the endpoints: no pod network and no legacy prefix is routed across.
     */
    private void routeSecondEastNode(NetNs n) {
        n.exec("ip", "route", "replace", Site.of("west").tunnelEndpoint() + "/32", "via", "10.1.0.1")
                .check();
        gatewayNs
                .get("west")
                .exec(
                        "ip",
                        "route",
                        "replace",
                        "10.1.0.2/32",
                        "via",
                        Site.of("east").tunnelEndpoint())
                .check();
    }

    /**
     * An ordinary node of a cluster, a Kubernetes node with no gateway.
     *
     * @param key its name among the lab's gateways and namespaces
     * @param uplink its address on the cluster's uplink LAN
     * @param address its address on the node network, its Node's InternalIP
     * @param pod the address of the one pod behind it, on a LAN of its own ({@code x.y.z.1/24} the node's side)
     * @param hostNet the /30 of its host link, over which it reaches the API server and answers admin requests
     * @param podLabels the pod's labels, as a YAML flow mapping
     */
    private record OrdinaryNode(
            String key,
            String cluster,
            String node,
            String uplink,
            String address,
            String pod,
            String hostNet,
            String podName,
            String podLabels) {
        String podGateway() {
            return pod.substring(0, pod.lastIndexOf('.')) + ".1";
        }
    }

    private static final OrdinaryNode EAST3 = new OrdinaryNode(
            "east3",
            "east",
            EAST_NODE_3,
            "172.16.1.6",
            EAST3_ADDRESS,
            NODE_POD,
            "10.255.4",
            "client-on-node-3",
            "{app: client}");

    private static final OrdinaryNode WEST2 = new OrdinaryNode(
            "west2",
            "west",
            WEST_NODE_2,
            "172.16.2.6",
            WEST2_ADDRESS,
            WEST_NODE_POD,
            "10.255.5",
            "west2web-1",
            "{app: west2web}");

    /**
     * Adds {@code o}: its uplink on the cluster's uplink LAN (default route via the datacenter router, as a node's own),
     * a leg on the node network where the gateway nodes are, and its pod routed through it. Nothing routes that pod's
     * packets to a gateway: they leave through the node's uplink with the pod's address. Its Node and its pod are
     * written to the cluster's API server. Returns the pod's namespace.
     */
    private NetNs addOrdinaryNode(OrdinaryNode o) {
        if (!onApiServer(o.cluster())) {
            throw new IllegalStateException("an ordinary node needs " + o.cluster() + " on an API server");
        }
        NetNs n = ns(o.key().substring(0, 3) + o.key().charAt(o.key().length() - 1));
        gatewayNs.put(o.key(), n);
        String lan = Site.of(o.cluster()).uplinkLan();
        plug(dc, lan, lan + "n", n, "up0", o.uplink() + "/29");
        plug(
                gatewayNs.get(o.cluster()),
                "cl0",
                "c" + o.key().charAt(o.key().length() - 1),
                n,
                "nl0",
                o.address() + "/24");
        NetNs pod = ns(o.key().charAt(0) + "pod");
        NetNs.link(n, "pn0", o.podGateway() + "/24", pod, "eth0", o.pod() + "/24");
        pod.exec("ip", "route", "add", "default", "via", o.podGateway()).check();
        routeNode(n, o.cluster(), o.hostNet());
        LabApiServer server = apis.get(o.cluster());
        server.create("apiVersion: v1\nkind: Node\nmetadata:\n  name: " + o.node()
                + "\n  labels: {topology.kubernetes.io/zone: lab-" + o.cluster()
                + "}\nstatus:\n  addresses: [{type: InternalIP, address: " + o.address() + "}]\n");
        server.create("""
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: shop, labels: %s}
                spec:
                  serviceAccountName: client
                  nodeName: %s
                  containers: [{name: c, image: client}]
                status: {phase: Running, podIP: %s, podIPs: [{ip: %s}]}
                """.formatted(o.podName(), o.podLabels(), o.node(), o.pod(), o.pod()));
        return pod;
    }

    /**
     * East's ordinary node ({@value #EAST_NODE_3}, uplink 172.16.1.6, InternalIP {@value #EAST3_ADDRESS}) with its pod
     * ({@value #NODE_POD}, labelled as the client pods, so the EgressIdentity selects it). Call {@link #startNodeRole()}
     * to run the node role on it.
     */
    public void addOrdinaryEastNode() {
        if (nodePod == null) {
            nodePod = addOrdinaryNode(EAST3);
        }
    }

    /**
     * West's ordinary node ({@value #WEST_NODE_2}, uplink 172.16.2.6, InternalIP {@value #WEST2_ADDRESS}) with its pod
     * ({@value #WEST_NODE_POD}, which no EgressIdentity selects).
     */
    public void addOrdinaryWestNode() {
        if (westNodePod == null) {
            westNodePod = addOrdinaryNode(WEST2);
        }
    }

    /**
     * The node role on east's ordinary node ({@link #addOrdinaryEastNode()}): the gateway application in node mode,
     * attached to the node's uplink and node-network leg, reading the API server. Registered as gateway {@code east3}.
     */
    public GatewayProcess startNodeRole() {
        addOrdinaryEastNode();
        return startNodeRole(EAST3);
    }

    /** The node role on west's ordinary node ({@link #addOrdinaryWestNode()}), registered as gateway {@code west2}. */
    public GatewayProcess startWestNodeRole() {
        addOrdinaryWestNode();
        return startNodeRole(WEST2);
    }

    private GatewayProcess startNodeRole(OrdinaryNode o) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("meshgw.mode", "node");
        apiClient(p, o.cluster());
        p.put(
                "meshgw.kubernetes.identity",
                o.cluster() + "-node-role-" + o.key().charAt(o.key().length() - 1));
        p.put("meshgw.kubernetes.node-name", o.node());
        p.put("meshgw.cluster.id", o.cluster().equals("east") ? "1" : "2");
        p.put("meshgw.cluster.name", o.cluster());
        p.put("meshgw.node-role.address", o.address());
        p.put("meshgw.node-role.uplinks", "up0,nl0");
        p.put("meshgw.datapath.pin-root", bpffs.resolve(o.key()).toString());
        for (String engine : List.of("bgp", "datapath", "kernel-routes", "mesh", "dns")) {
            p.put("meshgw." + engine + ".enabled", "false");
        }
        return startProcess(o.key(), gatewayNs.get(o.key()), p, o.hostNet() + ".2");
    }

    /**
     * A Service of east served by the pod on east's ordinary node alone (port 80 to its 8080, where it answers with the
     * address it saw), exported with VIP {@value #NODE_VIP}. Its EndpointSlice names the pod's node, as Kubernetes' do.
     * The node's own route to the legacy LAN leaves by its uplink, and no gateway routes to the pod: the VIP works only
     * if the gateways send its flows to the node and the node role returns the replies.
     */
    public void serveFromNodePod() {
        addOrdinaryEastNode();
        server(nodePod, 8080, "node pod saw $SOCAT_PEERADDR");
        apis.get("east").create(nodePodExport(NODE_VIP) + nodePodSlice(EAST3, "node3web"));
    }

    /**
     * West's Service shop/west2web, served by the pod on west's ordinary node alone (it answers with the address it
     * saw), exported by west for the mesh only (no VIP of west's), and by east, with no backend of its own, with VIP
     * {@value #EAST_VIP_FOR_WEST_NODE}. A legacy client's flow to that VIP is translated by east and tunnelled to west,
     * which relays it to the pod's node in IPIP; west's node role returns the replies to west, and west through the
     * tunnel to east. Nothing in either datacenter routes the pod's replies toward a gateway.
     */
    public void serveFromWestNodePod() {
        addOrdinaryWestNode();
        server(westNodePod, 8080, "west node pod saw $SOCAT_PEERADDR");
        apis.get("west").create(export("west2web", null) + nodePodSlice(WEST2, "west2web"));
        apis.get("east").create(export("west2web", EAST_VIP_FOR_WEST_NODE));
    }

    /** The EndpointSlice of {@code service}: the pod on {@code o}, named with its node, as Kubernetes' are. */
    private static String nodePodSlice(OrdinaryNode o, String service) {
        return """
                ---
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: %s-1, namespace: shop, labels: {kubernetes.io/service-name: %s}}
                addressType: IPv4
                ports: [{name: http, port: 8080, protocol: TCP}]
                endpoints: [{addresses: [%s], nodeName: %s, conditions: {ready: true}}]
                """.formatted(service, service, o.pod(), o.node());
    }

    /** The Service shop/node3web (port 80 to 8080) and its MeshServiceExport with {@code vip}. */
    private static String nodePodExport(String vip) {
        return export("node3web", vip);
    }

    /**
     * The Service shop/{@code name} (port 80 to 8080) and its MeshServiceExport: with {@code vip} from pool vips, or for
     * the mesh only when {@code vip} is null.
     */
    private static String export(String name, String vip) {
        String legacy = vip == null ? "" : ", legacy: {poolRef: vips, requestedVip: " + vip + "}";
        return """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: shop}
                spec: {ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]}
                ---
                apiVersion: meshgw.io/v1alpha1
                kind: MeshServiceExport
                metadata: {name: %s, namespace: shop, creationTimestamp: "2026-01-02T00:00:00Z"}
                spec: {ports: [http]%s}
                """.formatted(name, name, legacy);
    }

    /**
     * West exports the node pod's Service too (shop/node3web, no backend of its own in west) with VIP
     * {@value #WEST_NODE_VIP}. A legacy client's flow to it is translated by west and tunnelled to east, which relays
     * it to the pod's node in IPIP; the node role returns the replies to east, and east through the tunnel to west.
     * Nothing in either datacenter routes the pod's replies toward a gateway.
     */
    public void exportNodePodFromWest() {
        updateWithExtra("west", nodePodExport(WEST_NODE_VIP));
    }

    /**
     * The node role's Pod on east's ordinary node, as its DaemonSet's would be once its readiness probe passes: Running
     * at the node's address, Ready. The gateways send a backend's flows to a node's node role only while its Pod is.
     */
    public void nodeRolePodReady() {
        nodeRolePodReady(EAST3);
    }

    /** The node role's Pod on west's ordinary node, Running and Ready. */
    public void westNodeRolePodReady() {
        nodeRolePodReady(WEST2);
    }

    private void nodeRolePodReady(OrdinaryNode o) {
        var pod = new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("meshgw-node-role-" + o.key())
                .withNamespace("meshgw-system")
                .withLabels(Map.of("app.kubernetes.io/component", "node-role"))
                .endMetadata()
                .withNewSpec()
                .withNodeName(o.node())
                .withHostNetwork(true)
                .addNewContainer()
                .withName("node-role")
                .withImage("meshgw")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withHostIP(o.address())
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        apis.get(o.cluster()).client().resource(pod).create();
    }

    /** One TCP exchange from the pod on east's ordinary node to {@code target} (host:port). */
    public CommandResult fromNodePod(String target) {
        return tcp(nodePod, target);
    }

    /**
     * East's second node goes dark, as a node that dies: its gateway frozen and its links down, so nothing it holds is
     * closed and the routers learn of it only when the hold time runs out. {@link #restoreSecondEastNode()} undoes it.
     */
    public void darkenSecondEastNode() {
        gateways.get("east2").freeze();
        NetNs n = gatewayNs.get("east2");
        n.exec("ip", "link", "set", "up0", "down").check();
        n.exec("ip", "link", "set", "cl0", "down").check();
    }

    public void restoreSecondEastNode() {
        NetNs n = gatewayNs.get("east2");
        n.exec("ip", "link", "set", "up0", "up").check();
        n.exec("ip", "link", "set", "cl0", "up").check();
        // A link that went down took the routes over it along: a node whose links come back is routed as before.
        routeOverLinks(n, "east");
        routeSecondEastNode(n);
        gateways.get("east2").thaw();
    }

    /**
     * How many IPv4 packets from {@code source} reached the legacy host while {@code during} ran: a capture (tcpdump)
     * on the legacy host's link, which sees what a legacy firewall would, answered or not.
     */
    public int packetsAtLegacyHostFrom(String source, Runnable during) {
        Path log = dir.resolve("legacy-capture-" + System.nanoTime() + ".txt");
        Process capture = legacy.spawn(List.of("tcpdump", "-i", "eth0", "-n", "-l", "src", "host", source), log);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!read(log).contains("listening on") && System.nanoTime() < deadline) {
                GatewayProcess.sleep(50);
            }
            during.run();
            GatewayProcess.sleep(500); // what is still on its way
        } finally {
            capture.destroy();
            try {
                capture.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return (int)
                read(log).lines().filter(l -> l.contains(" IP " + source + ".")).count();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The route to {@code prefix} in the kernel table of the router the legacy host routes through: its next hops. */
    public String legacyRouterKernelRoute(String prefix) {
        return dc.exec("ip", "route", "show", prefix).stdout().strip();
    }

    public GatewayProcess gateway(String cluster) {
        return gateways.get(cluster);
    }

    /** Changes what a cluster's file says; the gateway picks it up within a quarter second. */
    public void update(String cluster, java.util.function.UnaryOperator<ClusterFile.Spec> change) {
        ClusterFile.Spec s = change.apply(specs.get(cluster));
        specs.put(cluster, s);
        write(cluster, s, null);
    }

    /** Rewrites a cluster's file with extra documents after its own (e.g. {@link ClusterFile#bulk}). */
    public void updateWithExtra(String cluster, String extra) {
        write(cluster, specs.get(cluster), extra);
    }

    public static ClusterFile.Spec withBackends(ClusterFile.Spec s, List<String> backends) {
        return s.withWebBackends(backends);
    }

    /**
     * Starts a scripted BGP peer (AS {@value #SCRIPTED_ASN}) on east's uplink LAN and adds it to
     * east's file as the BgpPeer "scripted", so east dials it. Remove it with {@link
     * #removeScriptedPeer()}.
     */
    public ScriptedBgpPeer addScriptedPeer() {
        if (scripted != null) {
            throw new IllegalStateException("the lab already has a scripted peer");
        }
        if (scriptedNs == null) {
            scriptedNs = ns("bgps");
            plug(dc, "a0", "a0s", scriptedNs, "eth0", SCRIPTED_PEER + "/29");
        }
        scripted = ScriptedBgpPeer.listen(
                scriptedNs, new ScriptedBgpPeer.Options(SCRIPTED_PEER, SCRIPTED_ASN, SCRIPTED_PEER, 9));
        update(
                "east",
                s -> s.withPeers(Stream.concat(
                                s.peers().stream(),
                                Stream.of(new ClusterFile.Peer("scripted", SCRIPTED_PEER, SCRIPTED_ASN, false, 1)))
                        .toList()));
        return scripted;
    }

    /** Takes the scripted peer out of east's file and stops it. */
    public void removeScriptedPeer() {
        update(
                "east",
                s -> s.withPeers(s.peers().stream()
                        .filter(p -> !p.name().equals("scripted"))
                        .toList()));
        if (scripted != null) {
            scripted.close();
            scripted = null;
        }
    }

    /** Datacenter router 1, which the legacy host and the gateways route through. */
    public BirdRouter bird() {
        return bird;
    }

    /** Datacenter router 2. */
    public FrrRouter frr() {
        return frr;
    }

    public List<BgpRouter> routers() {
        return List.of(bird, frr);
    }

    /** The API server east watches, when the lab runs in Kubernetes mode. */
    public LabApiServer api() {
        return api("east");
    }

    /** The API server {@code cluster} watches, when the lab runs in Kubernetes mode. */
    public LabApiServer api(String cluster) {
        if (!onApiServer(cluster)) {
            throw new IllegalStateException("this lab runs " + cluster + " in standalone mode");
        }
        return apis.get(cluster);
    }

    public LabBroker broker() {
        return broker;
    }

    /** Both datacenter routers hold {@code prefix}. */
    public boolean routersHave(String prefix) {
        return routers().stream().allMatch(r -> r.holds(prefix));
    }

    /**
     * Where the legacy LAN's router sends {@code address} right now (its kernel's route lookup): what a failed exchange
     * report needs to tell a missing route from a datapath that dropped the packet.
     */
    public String legacyRouterRoute(String address) {
        CommandResult r = dc.exec("ip", "route", "get", address);
        return (r.stdout() + r.stderr()).strip();
    }

    /** Both gateways' sessions with both datacenter routers are Established. */
    public boolean sessionsUp() {
        return routers().stream().allMatch(r -> r.established("172.16.1.2") && r.established("172.16.2.2"));
    }

    /** One TCP exchange from the legacy host: the first line the server sends, or the error. */
    public CommandResult fromLegacy(String target) {
        return tcp(legacy, target);
    }

    public CommandResult fromClientPod(String target) {
        return tcp(client, target);
    }

    /** The IPv4 addresses the client pod's resolver (glibc, through resolv.conf) gets for {@code name}. */
    public List<String> resolveFromClientPod(String name) {
        CommandResult r = client.exec(Duration.ofSeconds(10), "getent", "ahostsv4", name);
        if (!r.ok()) return List.of();
        return r.stdout().lines().map(l -> l.split("\\s+")[0]).distinct().toList();
    }

    static CommandResult tcp(NetNs ns, String target) {
        return ns.exec(Duration.ofSeconds(10), "socat", "-t", "2", "-", "TCP:" + target + ",connect-timeout=2");
    }

    /** Where FRR and the broker came from in this run. */
    public LabParts parts() {
        return parts;
    }

    public NetNs legacyHost() {
        return legacy;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (scripted != null) {
            scripted.close();
        }
        gateways.values().forEach(g -> {
            try {
                g.kill();
            } catch (RuntimeException ignored) {
                // already gone
            }
        });
        if (broker != null) {
            broker.close();
        }
        apis.values().forEach(LabApiServer::close);
        if (frr != null) {
            frr.close();
        }
        if (bird != null) {
            bird.close();
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).close();
        }
        unmountBpffs(bpffs);
        resolvDirs.forEach(HybridLab::removeResolvDir);
    }

    /** Where this JVM's labs mount their own bpffs. */
    static Path bpffs() {
        return Path.of("/run", NetNs.PREFIX + ProcessHandle.current().pid() + "-bpf");
    }

    static void mountBpffs(Path at) throws IOException {
        Files.createDirectories(at);
        Command.check("mount", "-t", "bpf", "bpf", at.toString());
    }

    static void unmountBpffs(Path at) {
        Command.run(List.of("umount", "-l", at.toString()));
        Command.run(List.of("rmdir", at.toString()));
    }

    private static void removeResolvDir(Path d) {
        try {
            Files.deleteIfExists(d.resolve("resolv.conf"));
            Files.deleteIfExists(d);
        } catch (IOException e) {
            System.err.println("cannot remove " + d + ": " + e.getMessage());
        }
    }

    /** The /etc/netns entries of earlier labs whose process died without cleaning up. */
    private static void removeStaleResolvDirs() throws IOException {
        Path etc = Path.of("/etc/netns");
        if (!Files.isDirectory(etc)) return;
        try (var entries = Files.list(etc)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (!n.startsWith(NetNs.PREFIX) || !n.contains("-")) continue;
                String digits = n.substring(NetNs.PREFIX.length(), n.indexOf('-'));
                if (digits.chars().allMatch(Character::isDigit)
                        && !digits.isEmpty()
                        && ProcessHandle.of(Long.parseLong(digits)).isEmpty()) {
                    removeResolvDir(p);
                }
            }
        }
    }
}
