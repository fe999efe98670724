package io.meshgw.gateway.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.speaker.AttributeDrop;
import io.meshgw.bgp.speaker.PeerStatus;
import io.meshgw.bpf.datapath.MapFill;
import io.meshgw.gateway.bgp.BgpService;
import io.meshgw.gateway.bgp.FakeBgpService;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.datapath.DatapathService;
import io.meshgw.gateway.datapath.ReportingDatapath;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.gateway.mesh.ReportingMesh;
import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.ForbiddenAddress;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.ServicePort;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The gateway's Prometheus series as it exports them, written to deploy/metrics/gateway-metrics.json, from which
 * deploy's DashboardTest checks the dashboard and the alerts: every meshgw series on the dashboard (or excluded with a
 * reason), every queried series exported. The app runs with each part that registers series reporting at least one
 * row: a BGP peer, a remote cluster (mesh-sync's figures, faked: no broker here), DNS answering one query, a control
 * plane pass, a VIP port in the applied plan (faked: standalone mode has no Services). The datapath's counters exist
 * without the kernel programs.
 *
 * <p>The file is generated, never edited: with {@code -Dmetrics.catalogue.update=true} this test rewrites it, and
 * without, fails when it is stale.
 */
@QuarkusTest
@TestProfile(MetricCatalogueTest.EveryPart.class)
class MetricCatalogueTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    static final String REFRESH = "./mvnw -B -pl gateway -am verify -DskipITs -Dmetrics.catalogue.update=true";
    static final Path CATALOGUE = Path.of(
                    System.getProperty("metrics.catalogue.file", "../deploy/metrics/gateway-metrics.json"))
            .toAbsolutePath()
            .normalize();
    static final Path SOURCES = Path.of("src/main/java").toAbsolutePath();

    /** Labels whose values the code enumerates (bpf-tc's Counter, the three prefix kinds); the others vary. */
    static final Set<String> ENUMERATED = Set.of("outcome", "kind");

    static final int DNS_PORT = freeUdpPort();

    private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) (.*)$");
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+.*$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern METER_NAME = Pattern.compile("\"(meshgw_[a-z0-9_]+)\"");

    public static class EveryPart implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("meshgw-standalone", ".yaml");
                Files.writeString(file, """
                        apiVersion: meshgw.io/v1alpha1
                        kind: LegacyService
                        metadata: {name: mainframe, namespace: apps}
                        spec:
                          prefixes: [{prefix: 10.50.0.0/16, le: 24}]
                          addresses: [10.50.1.5]
                          ports: [{name: tn3270, port: 3270, protocol: TCP}]
                        """);
                var config = new LinkedHashMap<String, String>();
                config.put("meshgw.mode", "standalone");
                config.put("meshgw.standalone.file", file.toString());
                config.put("meshgw.dns.enabled", "true");
                config.put("meshgw.dns.listen", "127.0.0.1:" + DNS_PORT);
                config.put("meshgw.bgp.router-id", "192.0.2.1");
                // Passive: listed with its series, never dialled.
                config.put("meshgw.bgp.peers.dc1.address", "127.0.0.1");
                config.put("meshgw.bgp.peers.dc1.asn", "65001");
                config.put("meshgw.bgp.peers.dc1.passive", "true");
                return config;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A plan with one VIP port and its one backend, for the per-VIP series. */
    static final class PlannedVip extends AppliedPlan {
        private static final ObjectKey SERVICE = new ObjectKey("shop", "web");
        private static final Plan PLAN = new Plan(
                Map.of(),
                Map.of(),
                Map.of(
                        SERVICE,
                        new Translation(
                                SERVICE,
                                IpAddress.parse("198.51.100.10"),
                                1,
                                List.of(new PortTranslation(
                                        ServicePort.tcp("http", 80),
                                        List.of(new Backend(
                                                IpAddress.parse("10.0.0.5"),
                                                8080,
                                                new ClusterId(1, "local"),
                                                true)))))),
                Map.of(),
                Map.of(),
                Map.of(),
                List.of());

        @Override
        public Plan get() {
            return PLAN;
        }
    }

    /** One family of the exposition: its type, help, sample names, label names and enumerated values. */
    record Family(String type, String help, Set<String> samples, Set<String> labels, Map<String, Set<String>> values) {}

    @Inject
    GatewayMetrics metrics;

    @Test
    void theCatalogueIsWhatTheGatewayExports() throws Exception {
        var cluster = new ClusterMetrics(
                new ClusterId(2, "west"),
                0,
                10,
                0,
                0,
                Optional.of(Duration.ofSeconds(1)),
                true,
                true,
                1,
                4,
                0,
                Map.of(ForbiddenAddress.LINK_LOCAL, 1L),
                Optional.empty());
        QuarkusMock.installMockForType(
                new ReportingMesh(new MeshMetrics(10, 0, 0, Map.of(2, cluster))), MeshService.class);
        QuarkusMock.installMockForType(new PlannedVip(), AppliedPlan.class);
        // The speaker's one session, with a dropped attribute so the per-type series has a row
        QuarkusMock.installMockForType(
                new FakeBgpService(
                        List.of(new PeerStatus(
                                "dc1",
                                "127.0.0.1",
                                65001,
                                State.ESTABLISHED,
                                Optional.empty(),
                                1,
                                1,
                                Map.of(),
                                1,
                                3,
                                3,
                                0,
                                Optional.empty(),
                                0,
                                Map.of(
                                        new AttributeDrop(
                                                23, AttributeDrop.Action.DISCARD, AttributeDrop.Cause.SCREENED),
                                        1L),
                                0,
                                0,
                                Map.of())),
                        List.of(),
                        Map.of()),
                BgpService.class);
        QuarkusMock.installMockForType(
                new ReportingDatapath(List.of(new MapFill("mgw_svc_v1", "VIPs", 1, 65_536))), DatapathService.class);
        metrics.refresh();
        askDns();

        var families = families(given().port(management.getPort())
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        var expected = render(families);

        for (String meter : meterNamesInSources()) {
            assertThat(families.keySet())
                    .as(
                            "meter %s is registered in the code but reports no series here; give it a row in this test's"
                                    + " profile, so the dashboard test sees it",
                            meter)
                    .anyMatch(f -> f.startsWith(meter));
        }
        if (Boolean.getBoolean("metrics.catalogue.update")) {
            Files.createDirectories(CATALOGUE.getParent());
            Files.writeString(CATALOGUE, expected);
        }
        assertThat(Files.exists(CATALOGUE))
                .as("%s is missing; create it with: %s", CATALOGUE, REFRESH)
                .isTrue();
        assertThat(Files.readString(CATALOGUE))
                .as("%s is stale (the gateway's metrics changed); refresh with: %s", CATALOGUE, REFRESH)
                .isEqualTo(expected);
    }

    /** The meshgw families of a Prometheus text exposition, by name. */
    static Map<String, Family> families(String exposition) {
        Map<String, String> types = new TreeMap<>();
        Map<String, String> helps = new TreeMap<>();
        Map<String, Family> out = new TreeMap<>();
        String current = null;
        for (String line : exposition.lines().toList()) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                helps.put(m.group(1), m.group(2));
            } else if ((m = TYPE.matcher(line)).matches()) {
                current = m.group(1);
                types.put(current, m.group(2));
            } else if (!line.startsWith("#") && (m = SAMPLE.matcher(line)).matches() && current != null) {
                if (!current.startsWith("meshgw_")) continue;
                String family = current;
                var f = out.computeIfAbsent(
                        family,
                        k -> new Family(
                                types.get(k),
                                helps.getOrDefault(k, ""),
                                new TreeSet<>(),
                                new TreeSet<>(),
                                new TreeMap<>()));
                f.samples().add(m.group(1));
                if (m.group(2) == null) continue;
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (l.group(1).equals("le") || l.group(1).equals("quantile")) continue;
                    f.labels().add(l.group(1));
                    if (ENUMERATED.contains(l.group(1))) {
                        f.values()
                                .computeIfAbsent(l.group(1), k -> new TreeSet<>())
                                .add(l.group(2));
                    }
                }
            }
        }
        return out;
    }

    static String render(Map<String, Family> families) throws IOException {
        var root = new LinkedHashMap<String, Object>();
        root.put(
                "generated", "by gateway's MetricCatalogueTest from /q/metrics; do not edit, refresh with: " + REFRESH);
        root.put("metrics", families);
        return new ObjectMapper()
                        .enable(SerializationFeature.INDENT_OUTPUT)
                        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                        .writeValueAsString(root)
                + "\n";
    }

    /** The meter names the gateway's sources register: each must have a family above. */
    static Set<String> meterNamesInSources() throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = METER_NAME.matcher(Files.readString(file));
                while (m.find()) names.add(m.group(1));
            }
        }
        assertThat(names).as("meter names in %s", SOURCES).isNotEmpty();
        return names;
    }

    /** One A query for the LegacyService's name, so the answers counter has its first series. */
    private static void askDns() throws IOException {
        byte[] query = {
            0x12,
            0x34,
            0x01,
            0x00,
            0,
            1,
            0,
            0,
            0,
            0,
            0,
            0, // id, RD, one question
            9,
            'm',
            'a',
            'i',
            'n',
            'f',
            'r',
            'a',
            'm',
            'e',
            4,
            'a',
            'p',
            'p',
            's',
            6,
            'm',
            'e',
            's',
            'h',
            'g',
            'w',
            8,
            'i',
            'n',
            't',
            'e',
            'r',
            'n',
            'a',
            'l',
            0,
            0,
            1,
            0,
            1 // mainframe.apps.meshgw.internal A IN
        };
        try (var socket = new DatagramSocket()) {
            socket.setSoTimeout(5_000);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), DNS_PORT));
            socket.receive(new DatagramPacket(new byte[512], 512));
        }
    }

    private static int freeUdpPort() {
        try (var s = new DatagramSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
