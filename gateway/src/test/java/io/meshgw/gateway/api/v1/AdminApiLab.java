package io.meshgw.gateway.api.v1;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.speaker.AttributeDrop;
import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bpf.datapath.Backend;
import io.meshgw.bpf.datapath.ConntrackEntry;
import io.meshgw.bpf.datapath.Counter;
import io.meshgw.bpf.datapath.EgressTranslation;
import io.meshgw.bpf.datapath.IdentityPrefix;
import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.MapRecords.CounterValue;
import io.meshgw.bpf.datapath.ServiceTranslation;
import io.meshgw.bpf.datapath.TranslationTable;
import io.meshgw.bpf.datapath.Verdict;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.bgp.FakeBgpService;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.control.AppliedPlans;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.gateway.datapath.FakeDatapathService;
import io.meshgw.gateway.mesh.FakeMeshService;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.ClusterStatus;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.operator.plan.Announcement;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import io.quarkus.test.junit.QuarkusMock;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The known state the admin API's fixtures describe: gateway {@code east} (cluster 1) of a
 * mesh with {@code west} (2) and {@code south} (3, not synced yet), two datacenter route
 * reflectors and a lab router, three VIPs and one egress identity. Each engine's state is
 * given in the engine's own types, and only the gateway's reads of it are replaced, so
 * everything from there to the JSON is the real code.
 */
public final class AdminApiLab {

    /** The cluster this gateway is in. */
    public static final int EAST = 1;

    private static final Instant EXPORTED = Instant.parse("2025-05-01T09:00:00Z");

    private AdminApiLab() {}

    /** Replaces the services' reads for the current test (QuarkusMock clears them after it). */
    public static void install(GatewayConfig config) {
        FakeBgpService bgp = bgp();
        FakeDatapathService datapath = datapath();
        QuarkusMock.installMockForType(bgp, BgpService.class);
        QuarkusMock.installMockForType(datapath, DatapathService.class);
        QuarkusMock.installMockForType(AppliedPlans.of(plan()), AppliedPlan.class);
        QuarkusMock.installMockForType(new FakeMeshService(EAST, snapshot(), meshMetrics()), MeshService.class);
    }

    // --- BGP ---------------------------------------------------------------------------------

    static FakeBgpService bgp() {
        List<PeerStatus> peers = List.of(
                new PeerStatus(
                        "dc1-rr1",
                        "192.0.2.254",
                        65001,
                        State.ESTABLISHED,
                        Optional.of(Instant.parse("2025-05-28T08:00:00Z")),
                        912_345,
                        12,
                        Map.of(),
                        3,
                        1_523_001,
                        8_123,
                        0,
                        Optional.empty(),
                        0,
                        Map.of(new AttributeDrop(23, AttributeDrop.Action.DISCARD, AttributeDrop.Cause.SCREENED), 4L),
                        0,
                        0,
                        Map.of()),
                new PeerStatus(
                        "dc2-rr1",
                        "2001:db8::fe",
                        65002,
                        State.ESTABLISHED,
                        Optional.of(Instant.parse("2025-06-01T11:59:18Z")),
                        4,
                        4,
                        Map.of(),
                        3,
                        9,
                        7,
                        1,
                        Optional.empty(),
                        0,
                        Map.of(),
                        0,
                        0,
                        Map.of()),
                new PeerStatus(
                        "lab",
                        "198.51.100.1",
                        4_200_000_001L,
                        State.ACTIVE,
                        Optional.empty(),
                        0,
                        0,
                        Map.of(),
                        0,
                        40,
                        44,
                        3,
                        Optional.of("hold timer expired"),
                        0,
                        Map.of(),
                        0,
                        0,
                        Map.of()));
        RouteAttributes dc2Specific = attributes(
                PathAttribute.AsPath.sequence(65002L),
                nextHop("192.0.2.253"),
                new PathAttribute.MultiExitDisc(0),
                new PathAttribute.LocalPref(200),
                communities(65000, 200, 65002, 7));
        RouteAttributes dc1Default = attributes(
                PathAttribute.AsPath.sequence(65001L),
                nextHop("192.0.2.254"),
                new PathAttribute.LocalPref(100),
                communities(65000, 100));
        RouteAttributes dc1Cluster = attributes(
                PathAttribute.AsPath.sequence(65001L, 65010L),
                nextHop("192.0.2.254"),
                new PathAttribute.MultiExitDisc(20),
                new PathAttribute.LocalPref(100));
        RouteAttributes dc1Specific = attributes(
                PathAttribute.AsPath.sequence(65001L), nextHop("192.0.2.254"), new PathAttribute.LocalPref(100));
        // Deliberately not in prefix order: the CLI sorts.
        List<BestRoute> best = List.of(
                new BestRoute(Prefix.parse("10.1.2.0/24"), "dc2-rr1", dc2Specific),
                new BestRoute(Prefix.parse("10.0.0.0/8"), "dc1-rr1", dc1Default),
                new BestRoute(
                        Prefix.parse("2001:db8:100::/48"),
                        "dc2-rr1",
                        attributes(
                                PathAttribute.AsPath.sequence(65002L, 65020L),
                                ipv6NextHop("2001:db8::fe"),
                                new PathAttribute.LocalPref(100))),
                new BestRoute(Prefix.parse("10.1.0.0/16"), "dc1-rr1", dc1Cluster),
                new BestRoute(Prefix.parse("198.51.100.10/32"), "local", originated(communities(65000, 100))),
                new BestRoute(
                        Prefix.parse("2001:db8::/32"),
                        "dc2-rr1",
                        attributes(
                                PathAttribute.AsPath.sequence(65002L),
                                ipv6NextHop("2001:db8::fe"),
                                new PathAttribute.LocalPref(100))),
                new BestRoute(Prefix.parse("198.51.100.53/32"), "local", originated()),
                new BestRoute(Prefix.parse("203.0.113.1/32"), "local", originated()));
        Map<Prefix, RouteAttributes> fromDc1 = new LinkedHashMap<>();
        fromDc1.put(Prefix.parse("10.0.0.0/8"), dc1Default);
        fromDc1.put(Prefix.parse("10.1.0.0/16"), dc1Cluster);
        fromDc1.put(Prefix.parse("10.1.2.0/24"), dc1Specific);
        return new FakeBgpService(peers, best, Map.of("dc1-rr1", fromDc1));
    }

    private static ResourceRef export(String namespace, String name) {
        return new ResourceRef("MeshServiceExport", new ObjectKey(namespace, name));
    }

    private static RouteAttributes attributes(PathAttribute... a) {
        return new RouteAttributes(Stream.concat(Stream.of(new PathAttribute.Origin(0)), Stream.of(a))
                .toList());
    }

    /** A route this gateway originates: no path, no next hop until it goes out. */
    private static RouteAttributes originated(PathAttribute... extra) {
        return attributes(Stream.concat(Stream.of(new PathAttribute.AsPath(List.of())), Stream.of(extra))
                .toArray(PathAttribute[]::new));
    }

    private static PathAttribute nextHop(String v4) {
        return new PathAttribute.NextHop(InetAddress.ofLiteral(v4).getAddress());
    }

    /** As the speaker stores an IPv6 route's next hop: in MP_REACH_NLRI, global then link-local. */
    private static PathAttribute ipv6NextHop(String global) {
        byte[] both = new byte[32];
        System.arraycopy(InetAddress.ofLiteral(global).getAddress(), 0, both, 0, 16);
        System.arraycopy(InetAddress.ofLiteral("fe80::fe").getAddress(), 0, both, 16, 16);
        return new PathAttribute.MpReachNlri(Afi.IPV6, 1, both, List.of());
    }

    /** RFC 1997 communities from asn, value pairs. */
    private static PathAttribute communities(long... asnValue) {
        List<Long> values = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < asnValue.length; i += 2) {
            values.add(asnValue[i] << 16 | asnValue[i + 1]);
        }
        return new PathAttribute.Communities(values);
    }

    // --- the datapath ----------------------------------------------------------------------

    static FakeDatapathService datapath() {
        TranslationTable table = new TranslationTable(
                List.of(
                        new ServiceTranslation(
                                v4("198.51.100.10"),
                                80,
                                Protocol.TCP,
                                1001,
                                List.of(
                                        new Backend(v4("10.1.0.10"), 8080, EAST, true),
                                        new Backend(v4("10.1.0.11"), 8080, EAST, true),
                                        new Backend(v4("10.2.0.5"), 8080, 2, false),
                                        new Backend(v4("10.2.0.6"), 8080, 2, false))),
                        new ServiceTranslation(
                                v4("198.51.100.53"),
                                53,
                                Protocol.UDP,
                                1002,
                                List.of(new Backend(v4("10.1.0.53"), 53, EAST, true))),
                        new ServiceTranslation(
                                v4("198.51.100.53"),
                                53,
                                Protocol.TCP,
                                1002,
                                List.of(new Backend(v4("10.1.0.53"), 53, EAST, true))),
                        new ServiceTranslation(v4("198.51.100.20"), 443, Protocol.TCP, 1003, List.of())),
                List.of(
                        new IdentityPrefix(Ipv4Prefix.parse("10.1.0.20/32"), 2001),
                        new IdentityPrefix(Ipv4Prefix.parse("10.1.0.21/32"), 2001)),
                List.of(new EgressTranslation(
                        2001,
                        v4("203.0.113.1"),
                        List.of(Ipv4Prefix.parse("192.0.2.0/24"), Ipv4Prefix.parse("198.18.0.0/15")))),
                List.of(),
                Verdict.ALLOW,
                Verdict.ALLOW);
        Map<Counter, CounterValue> counters = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            counters.put(c, new CounterValue(0, 0));
        }
        counters.put(Counter.PASS, new CounterValue(1_020_304, 412_345_678));
        counters.put(Counter.DNAT_NEW, new CounterValue(1_234, 98_720));
        counters.put(Counter.DNAT_ESTABLISHED, new CounterValue(987_654, 812_345_678));
        counters.put(Counter.DNAT_REPLY, new CounterValue(912_000, 1_200_345_000));
        counters.put(Counter.SNAT_NEW, new CounterValue(5_120, 409_600));
        counters.put(Counter.SNAT_ESTABLISHED, new CounterValue(40_960, 3_276_800));
        counters.put(Counter.SNAT_REPLY, new CounterValue(38_000, 4_560_000));
        counters.put(Counter.DROP_NO_BACKEND, new CounterValue(42, 2_688));
        counters.put(Counter.DROP_POLICY, new CounterValue(7, 420));
        counters.put(Counter.POLICY_ALLOW, new CounterValue(6_354, 406_656));
        counters.put(Counter.POLICY_DENY, new CounterValue(7, 420));
        List<ConntrackEntry> conntrack = List.of(
                new ConntrackEntry(
                        ConntrackEntry.Kind.DNAT,
                        Protocol.TCP,
                        "192.0.2.77:51234",
                        "198.51.100.10:80",
                        "10.1.0.10:8080",
                        1,
                        1001,
                        12_400,
                        900,
                        1_234,
                        1_843_210,
                        false),
                new ConntrackEntry(
                        ConntrackEntry.Kind.DNAT_REPLY,
                        Protocol.TCP,
                        "10.1.0.10:8080",
                        "192.0.2.77:51234",
                        "198.51.100.10:80",
                        1,
                        1001,
                        12_400,
                        900,
                        1_100,
                        98_000,
                        false),
                new ConntrackEntry(
                        ConntrackEntry.Kind.DNAT,
                        Protocol.TCP,
                        "192.0.2.78:40222",
                        "198.51.100.10:80",
                        "10.2.0.5:8080",
                        3,
                        1001,
                        61_000,
                        9_500,
                        10,
                        1_200,
                        true),
                new ConntrackEntry(
                        ConntrackEntry.Kind.SNAT,
                        Protocol.UDP,
                        "10.1.0.20:40000",
                        "192.0.2.53:53",
                        "203.0.113.1:32768",
                        0,
                        2001,
                        3_000,
                        3_000,
                        1,
                        72,
                        false),
                new ConntrackEntry(
                        ConntrackEntry.Kind.SNAT_REPLY,
                        Protocol.UDP,
                        "192.0.2.53:53",
                        "203.0.113.1:32768",
                        "10.1.0.20:40000",
                        0,
                        2001,
                        2_990,
                        2_990,
                        1,
                        120,
                        false));
        return new FakeDatapathService(
                table,
                List.of(
                        "tcx ingress on mgw-legacy (pinned at /sys/fs/bpf/meshgw/v1/links/mgw-legacy-ingress)",
                        "tcx ingress on mgw-cluster (pinned at /sys/fs/bpf/meshgw/v1/links/mgw-cluster-ingress)"),
                counters,
                conntrack);
    }

    private static Inet4Address v4(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }

    // --- what the last pass applied: translations, egress rules, exports, announcements ------

    private static final ClusterId EAST_ID = new ClusterId(EAST, "east");
    private static final ClusterId WEST_ID = new ClusterId(2, "west");

    private static io.meshgw.operator.plan.Backend local(String address, int port) {
        return new io.meshgw.operator.plan.Backend(IpAddress.parse(address), port, EAST_ID, true);
    }

    private static final PortTranslation CART_HTTP = new PortTranslation(
            new ServicePort("http", io.meshgw.types.Protocol.TCP, 80),
            List.of(local("10.1.0.10", 8080), local("10.1.0.11", 8080)));
    private static final List<PortTranslation> COREDNS_PORTS = List.of(
            new PortTranslation(
                    new ServicePort("dns", io.meshgw.types.Protocol.UDP, 53), List.of(local("10.1.0.53", 53))),
            new PortTranslation(
                    new ServicePort("dns-tcp", io.meshgw.types.Protocol.TCP, 53), List.of(local("10.1.0.53", 53))));
    private static final PortTranslation ORDERS_HTTPS =
            new PortTranslation(new ServicePort("https", io.meshgw.types.Protocol.TCP, 443), List.of());
    private static final PortTranslation PAYMENTS_GRPC = new PortTranslation(
            new ServicePort("grpc", io.meshgw.types.Protocol.TCP, 9090), List.of(local("10.1.0.30", 9090)));

    /** The plan the fixtures' state came from: the datapath's table above is its translation. */
    static Plan plan() {
        Map<ObjectKey, Translation> translations = new LinkedHashMap<>();
        var cartWithWest = new PortTranslation(
                CART_HTTP.port(),
                List.of(
                        local("10.1.0.10", 8080),
                        local("10.1.0.11", 8080),
                        new io.meshgw.operator.plan.Backend(IpAddress.parse("10.2.0.5"), 8080, WEST_ID, false),
                        new io.meshgw.operator.plan.Backend(IpAddress.parse("10.2.0.6"), 8080, WEST_ID, false)));
        put(
                translations,
                new Translation(
                        new ObjectKey("shop", "cart"), IpAddress.parse("198.51.100.10"), 1001, List.of(cartWithWest)));
        put(
                translations,
                new Translation(
                        new ObjectKey("dns", "coredns"), IpAddress.parse("198.51.100.53"), 1002, COREDNS_PORTS));
        put(
                translations,
                new Translation(
                        new ObjectKey("shop", "orders"),
                        IpAddress.parse("198.51.100.20"),
                        1003,
                        List.of(ORDERS_HTTPS)));
        ObjectKey client = new ObjectKey("shop", "billing-client");
        Map<ObjectKey, EgressRule> egress = Map.of(
                client,
                new EgressRule(
                        client,
                        2001,
                        IpAddress.parse("203.0.113.1"),
                        List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("198.18.0.0/15")),
                        List.of(IpAddress.parse("10.1.0.20"), IpAddress.parse("10.1.0.21")),
                        List.of()));
        Map<ObjectKey, ExportedService> exports = new LinkedHashMap<>();
        for (var e : List.of(
                new ExportedService(
                        new ObjectKey("shop", "cart"),
                        EXPORTED,
                        List.of(CART_HTTP),
                        Optional.of(IpAddress.parse("198.51.100.10"))),
                new ExportedService(
                        new ObjectKey("dns", "coredns"),
                        EXPORTED,
                        COREDNS_PORTS,
                        Optional.of(IpAddress.parse("198.51.100.53"))),
                new ExportedService(
                        new ObjectKey("shop", "orders"),
                        EXPORTED,
                        List.of(ORDERS_HTTPS),
                        Optional.of(IpAddress.parse("198.51.100.20"))),
                new ExportedService(
                        new ObjectKey("shop", "payments"), EXPORTED, List.of(PAYMENTS_GRPC), Optional.empty()))) {
            exports.put(e.service(), e);
        }
        Map<IpPrefix, Announcement> announcements = new LinkedHashMap<>();
        for (var a : List.of(
                new Announcement(
                        IpPrefix.parse("198.51.100.10/32"),
                        List.of(Community.parse("65000:100")),
                        export("shop", "cart")),
                new Announcement(IpPrefix.parse("198.51.100.53/32"), List.of(), export("dns", "coredns")),
                new Announcement(
                        IpPrefix.parse("203.0.113.1/32"), List.of(), new ResourceRef("EgressIdentity", client)))) {
            announcements.put(a.prefix(), a);
        }
        return new Plan(Map.of(), announcements, translations, egress, exports, Map.of(), List.of());
    }

    private static void put(Map<ObjectKey, Translation> m, Translation t) {
        m.put(t.service(), t);
    }

    // --- the mesh: east as read back from its own topic, west, and south still catching up ---

    static MeshSnapshot snapshot() {
        ClusterView east = cluster(
                new ClusterId(EAST, "east"),
                new ClusterStatus(true, true, Optional.of(Duration.ofMillis(850)), 4),
                List.of(
                        service("shop", "cart", tcp("http", 80)),
                        service("dns", "coredns", udp("dns", 53), tcp("dns-tcp", 53)),
                        service("shop", "orders", tcp("https", 443)),
                        service("shop", "payments", tcp("grpc", 9090))),
                List.of(
                        slice("shop", "cart", "gw-http", EAST, tcp("http", 8080), "10.1.0.10", "10.1.0.11"),
                        slice("dns", "coredns", "gw-dns", EAST, udp("dns", 53), "10.1.0.53"),
                        slice("dns", "coredns", "gw-dns-tcp", EAST, tcp("dns-tcp", 53), "10.1.0.53"),
                        slice("shop", "orders", "gw-https", EAST, tcp("https", 443)),
                        slice("shop", "payments", "gw-grpc", EAST, tcp("grpc", 9090), "10.1.0.30")));
        ClusterView west = cluster(
                new ClusterId(2, "west"),
                new ClusterStatus(true, true, Optional.of(Duration.ofMillis(1_210)), 7),
                List.of(service("shop", "cart", tcp("http", 80)), service("dns", "coredns", udp("dns", 53))),
                List.of(
                        slice("shop", "cart", "gw-http", 2, tcp("http", 8080), "10.2.0.5", "10.2.0.6"),
                        slice("dns", "coredns", "gw-dns", 2, udp("dns", 53))));
        ClusterView south = cluster(
                new ClusterId(3, "south"), new ClusterStatus(false, false, Optional.empty(), 0), List.of(), List.of());
        return new MeshSnapshot(42, Instant.parse("2025-06-01T12:00:00Z"), Map.of(EAST, east, 2, west, 3, south), true);
    }

    static MeshMetrics meshMetrics() {
        return new MeshMetrics(
                222_221,
                3,
                5,
                Map.of(
                        EAST,
                        new ClusterMetrics(
                                new ClusterId(EAST, "east"),
                                0,
                                123_456,
                                0,
                                2,
                                Optional.of(Duration.ofMillis(850)),
                                true,
                                true,
                                4,
                                14),
                        2,
                        new ClusterMetrics(
                                new ClusterId(2, "west"),
                                12,
                                98_765,
                                3,
                                3,
                                Optional.of(Duration.ofMillis(1_210)),
                                true,
                                true,
                                7,
                                9),
                        3,
                        new ClusterMetrics(
                                new ClusterId(3, "south"), 4_521, 0, 0, 0, Optional.empty(), false, false, 0, 0)));
    }

    private static ClusterView cluster(
            ClusterId id, ClusterStatus status, List<ServiceExport> services, List<EndpointSlice> slices) {
        return new ClusterView(
                id,
                status,
                services.stream().collect(Collectors.toMap(ServiceExport::key, s -> s)),
                slices.stream().collect(Collectors.toMap(EndpointSlice::key, s -> s)),
                Map.of());
    }

    private static ServiceExport service(String namespace, String name, ServicePort... ports) {
        return new ServiceExport(namespace, name, List.of(ports), Map.of(), Optional.empty(), EXPORTED);
    }

    /** A slice as {@code MeshRecords} publishes one per port: the port with its target port. */
    private static EndpointSlice slice(
            String namespace, String service, String slice, int cluster, ServicePort port, String... ready) {
        return new EndpointSlice(
                namespace,
                service,
                slice,
                cluster,
                List.of(port),
                Stream.of(ready)
                        .map(a -> Endpoint.ready(InetAddress.ofLiteral(a)))
                        .toList());
    }

    private static ServicePort tcp(String name, int port) {
        return ServicePort.tcp(name, port);
    }

    private static ServicePort udp(String name, int port) {
        return new ServicePort(name, io.meshgw.types.Protocol.UDP, port);
    }
}
