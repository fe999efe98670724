package io.meshgw.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.meshgw.testkit.net.NetNs;
import io.meshgw.testkit.routers.BgpNeighbor;
import io.meshgw.testkit.routers.BgpRouter;
import io.meshgw.testkit.routers.BirdRouter;
import io.meshgw.testkit.routers.RouterKind;
import io.meshgw.testkit.routers.RouterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged gateway in standalone mode, peered with a real router (BIRD), translating a VIP to a backend, while
 * the file it reads is cut short and then emptied under it: both versions are refused, and the VIP, the flow through
 * it and new flows stay as the last good file had them.
 *
 * <pre>
 *   legacy 192.0.2.10 ── dc (BIRD, AS 65001) ── up0 [gateway, AS 65000] cl0 ── web 10.1.0.10:8080 (echo)
 *                        .1   172.16.1.0/30   .2           10.1.0.0/24
 * </pre>
 */
class StandaloneFileRefusalIT {

    private static final String VIP = "198.51.100.10";
    private static final String SECOND_VIP = "198.51.100.11";
    private static final String WEB = "10.1.0.10";
    private static final String TOKEN = "refusal-token";
    private static final String REFUSED_METRIC = "meshgw_standalone_reloads_refused_total";

    @TempDir
    Path dir;

    private final List<NetNs> namespaces = new ArrayList<>();
    private final Path bpffs = HybridLab.bpffs();
    private BirdRouter bird;
    private GatewayProcess gateway;
    private EchoStream stream;

    @AfterEach
    void tearDown() {
        if (stream != null) {
            stream.close();
        }
        if (gateway != null) {
            gateway.kill();
        }
        if (bird != null) {
            bird.close();
        }
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            namespaces.get(i).close();
        }
        HybridLab.unmountBpffs(bpffs);
    }

    @Test
    void truncatedThenEmptiedStandaloneFileKeepsTheVipTheFlowAndNewFlows() throws Exception {
        assumeTrue(NetNs.available(), "the gateway's datapath and namespaces need root with CAP_NET_ADMIN and CAP_BPF");
        NetNs.removeStale();
        NetNs legacy = ns("leg");
        NetNs dc = ns("dc");
        NetNs gw = ns("gw");
        NetNs web = ns("web");
        NetNs.link(dc, "l0", "192.0.2.1/24", legacy, "eth0", "192.0.2.10/24");
        legacy.exec("ip", "route", "add", "default", "via", "192.0.2.1").check();
        NetNs.link(dc, "a0", "172.16.1.1/30", gw, "up0", "172.16.1.2/30");
        NetNs.link(gw, "cl0", "10.1.0.1/24", web, "eth0", WEB + "/24");
        web.exec("ip", "route", "add", "default", "via", "10.1.0.1").check();
        gw.exec("ip", "route", "add", "default", "via", "172.16.1.1").check();
        for (String kv : List.of(
                "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0")) {
            gw.exec("sysctl", "-qw", kv).check();
        }
        dc.exec("sysctl", "-qw", "net.ipv4.ip_forward=1").check();
        gw.linkToHost("10.255.8.1/30", "h0", "10.255.8.2/30");
        HybridLab.mountBpffs(bpffs);

        bird = (BirdRouter) BgpRouter.start(
                RouterKind.BIRD,
                dc,
                RouterSpec.of("dc", "192.0.2.1", 65001, List.of(BgpNeighbor.of("172.16.1.2", 65000)), List.of())
                        .withKernelRoutes(),
                Files.createDirectories(dir.resolve("bird")));
        web.spawn(List.of("socat", "TCP-LISTEN:8080,fork,reuseaddr", "EXEC:cat"), dir.resolve("web.log"));

        Path file = dir.resolve("east.yaml");
        String good = objects(false);
        write(file, good);
        gateway = new GatewayProcess(gw, "east", properties(file), dir.resolve("gateway.log"), "10.255.8.2", TOKEN)
                .start()
                .awaitUp(Duration.ofSeconds(60));
        await(
                "BIRD receives the VIP from the gateway",
                () -> bird.receivedPrefixes().contains(VIP + "/32"));
        stream = EchoStream.open(legacy, VIP, 80);
        await("the flow through the VIP echoes", () -> stream.roundTrips() > 10);

        // Cut mid-object: the EndpointSlice loses its endpoints, the export after it is gone, and no end document.
        String cut = good.substring(0, good.indexOf("  - addresses: [" + WEB + "]"));
        write(file, cut);
        await("the cut-short file is refused", () -> refused() >= 1);
        stillServing(legacy);
        write(file, "");
        await("the empty file is refused", () -> refused() >= 2);
        stillServing(legacy);

        assertThat(refused()).isEqualTo(2.0);
        String log = Files.readString(gateway.log());
        assertThat(log)
                .contains("cannot use " + file + " (" + cut.lines().count() + " lines, " + cut.length()
                        + " characters), keeping the last good state (5 objects)")
                .contains("cut short or half-written after 4 object(s), the last EndpointSlice shop/web-1")
                .contains("cannot use " + file + " (0 lines, 0 characters)")
                .contains("it holds no objects");

        // A good file with a change is used as soon as it comes.
        write(file, objects(true));
        await(
                "the second VIP of the changed file is announced",
                () -> bird.receivedPrefixes().contains(SECOND_VIP + "/32"));
        stillServing(legacy);
        assertThat(refused()).isEqualTo(2.0);
        assertThat(stream.failure()).as("the long flow through the VIP").isNull();
    }

    private NetNs ns(String label) {
        NetNs n = NetNs.create(label);
        namespaces.add(n);
        return n;
    }

    private Map<String, String> properties(Path file) {
        return Map.ofEntries(
                Map.entry("meshgw.mode", "standalone"),
                Map.entry("meshgw.standalone.file", file.toString()),
                Map.entry("meshgw.cluster.id", "1"),
                Map.entry("meshgw.cluster.name", "east"),
                Map.entry("meshgw.bgp.router-id", "172.16.1.2"),
                Map.entry("meshgw.bgp.local-asn", "65000"),
                Map.entry("meshgw.datapath.enabled", "true"),
                Map.entry("meshgw.datapath.legacy-interface", "up0"),
                Map.entry("meshgw.datapath.cluster-interface", "cl0"),
                Map.entry("meshgw.datapath.pin-root", bpffs.resolve("east").toString()));
    }

    /**
     * Over the last two seconds of a refused version: the session is up, the router still has the VIP, the long flow
     * keeps echoing and a new flow through the VIP is answered by the backend.
     */
    private void stillServing(NetNs legacy) {
        long before = stream.roundTrips();
        GatewayProcess.sleep(2000);
        assertThat(bird.established("172.16.1.2")).as("the gateway's session").isTrue();
        assertThat(bird.receivedPrefixes())
                .as("the routes BIRD has from the gateway")
                .contains(VIP + "/32");
        assertThat(stream.failure()).as("the long flow through the VIP").isNull();
        assertThat(stream.roundTrips()).as("round trips of the long flow").isGreaterThan(before);
        try (EchoStream fresh = EchoStream.open(legacy, VIP, 80)) {
            await("a new flow through the VIP echoes", () -> fresh.roundTrips() > 0);
        }
    }

    private double refused() {
        String body = gateway.get("/q/metrics").body();
        return body.lines()
                .filter(l -> l.startsWith(REFUSED_METRIC + " ") || l.startsWith(REFUSED_METRIC + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            GatewayProcess.sleep(100);
        }
    }

    /** Written whole and renamed into place: the gateway sees exactly the version given, cut or not. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The peer, the VIP pool and the exported web service, ended; with {@code change}, a second export. */
    private static String objects(boolean change) {
        var docs = new ArrayList<>(List.of("""
                apiVersion: meshgw.io/v1alpha1
                kind: BgpPeer
                metadata: {name: dc, namespace: meshgw-system}
                spec:
                  peerAddress: 172.16.1.1
                  peerAsn: 65001
                  localAsn: 65000
                  families: [ipv4-unicast]
                  timers: {holdTimeSeconds: 9, keepaliveSeconds: 3}
                """, """
                apiVersion: meshgw.io/v1alpha1
                kind: LegacyVipPool
                metadata: {name: vips}
                spec: {cidrs: [198.51.100.0/28], announce: true}
                """));
        for (String name : change ? List.of("web", "api") : List.of("web")) {
            String vip = name.equals("web") ? VIP : SECOND_VIP;
            docs.add("""
                    apiVersion: v1
                    kind: Service
                    metadata: {name: %s, namespace: shop}
                    spec:
                      ports: [{name: http, port: 80, targetPort: 8080, protocol: TCP}]
                    """.formatted(name));
            docs.add("""
                    apiVersion: discovery.k8s.io/v1
                    kind: EndpointSlice
                    metadata:
                      name: %s-1
                      namespace: shop
                      labels: {kubernetes.io/service-name: %s}
                    addressType: IPv4
                    ports: [{name: http, port: 8080, protocol: TCP}]
                    endpoints:
                      - addresses: [%s]
                        conditions: {ready: true}
                    """.formatted(name, name, WEB));
            docs.add("""
                    apiVersion: meshgw.io/v1alpha1
                    kind: MeshServiceExport
                    metadata: {name: %s, namespace: shop, creationTimestamp: "2026-01-01T00:00:00Z"}
                    spec:
                      ports: [http]
                      legacy: {poolRef: vips, requestedVip: %s}
                    """.formatted(name, vip));
        }
        docs.add("apiVersion: meshgw.io/v1alpha1\nkind: StandaloneFileEnd\nobjects: " + docs.size() + "\n");
        return String.join("---\n", docs);
    }
}
