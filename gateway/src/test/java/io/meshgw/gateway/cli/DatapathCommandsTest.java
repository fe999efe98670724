package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.Columns.rightAligned;
import static io.meshgw.gateway.cli.Columns.row;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** translations, conntrack and counters. */
class DatapathCommandsTest {

    private final ObjectMapper json = new ObjectMapper();
    private FakeGateway gateway;

    @BeforeEach
    void start() throws IOException {
        gateway = new FakeGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void translationsPrintBothSectionsWithOneBackendPerLine() {
        CliRun run = CliRun.run("translations", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                        VIP translations (destination NAT)
                        VIP                PROTO  IDENTITY  BACKENDS
                        198.51.100.10:80   TCP        1001  10.1.0.10:8080 (local)
                                                            10.1.0.11:8080 (local)
                                                            10.2.0.5:8080 (cluster 2)
                                                            10.2.0.6:8080 (cluster 2)
                        198.51.100.53:53   UDP        1002  10.1.0.53:53 (local)
                        198.51.100.53:53   TCP        1002  10.1.0.53:53 (local)
                        198.51.100.20:443  TCP        1003  none (packets are dropped)

                        Egress translations (source NAT)
                        IDENTITY  SOURCE       PORTS        DESTINATIONS
                            2001  203.0.113.1  32768-60999  192.0.2.0/24
                                                            198.18.0.0/15
                        """);
        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::pathAndQuery)
                .containsExactly("/api/v1/datapath/translations", "/api/v1/datapath/egress");
    }

    @Test
    void anEmptySectionIsOneLineAndTheOtherStillPrints() {
        gateway.answer("/api/v1/datapath/egress", 200, "[]");

        CliRun run = CliRun.run("translations", "--url", gateway.url());

        assertThat(run.lines()).endsWith("Egress translations (source NAT)", "no egress translations loaded");
        assertThat(run.out()).contains("198.51.100.53:53");
    }

    @Test
    void translationsAsJsonHoldBothAnswers() throws IOException {
        CliRun run = CliRun.run("translations", "-o", "json", "--url", gateway.url());

        JsonNode out = json.readTree(run.out());
        assertThat(out.get("translations")).isEqualTo(json.readTree(CannedJson.TRANSLATIONS));
        assertThat(out.get("egress")).isEqualTo(json.readTree(CannedJson.EGRESS));
    }

    @Test
    void conntrackAsksForTheLimitAndPrintsEveryEntry() {
        CliRun run = CliRun.run("conntrack", "--limit", "50", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::pathAndQuery)
                .containsExactly("/api/v1/datapath/conntrack?limit=50");
        List<String> lines = run.lines();
        assertThat(lines).hasSize(6);
        String header = lines.getFirst();
        String dnat = row(lines, "DNAT");
        assertThat(dnat.split(" {2,}"))
                .containsExactly(
                        "DNAT",
                        "TCP",
                        "192.0.2.77:51234",
                        "198.51.100.10:80",
                        "10.1.0.10:8080",
                        "1",
                        "1001",
                        "12s",
                        "900ms",
                        "1,234",
                        "1,843,210");
        rightAligned(header, "BYTES", dnat, "1,843,210");
        rightAligned(header, "IDLE", dnat, "900ms");
        rightAligned(header, "PACKETS", row(lines, "SNAT_REPLY"), "1");
    }

    @Test
    void wideSaysWhichFlowsAreClosing() {
        CliRun run = CliRun.run("conntrack", "--kind", "dnat", "-o", "wide", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.getFirst()).endsWith("  BYTES  CLOSING");
        assertThat(lines.get(1)).endsWith(" no");
        assertThat(lines.get(2)).contains(" 192.0.2.78:40222 ").endsWith(" yes");
    }

    @Test
    void wideIsTheTableWhereACommandHasNoWideColumns() {
        assertThat(CliRun.run("counters", "-o", "wide", "--url", gateway.url()).out())
                .isEqualTo(CliRun.run("counters", "--url", gateway.url()).out());
    }

    @Test
    void conntrackDefaultsToAThousand() {
        CliRun.run("conntrack", "--url", gateway.url());

        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::pathAndQuery)
                .containsExactly("/api/v1/datapath/conntrack?limit=1000");
    }

    @Test
    void kindFiltersTheTableCaseInsensitively() {
        CliRun run = CliRun.run("conntrack", "--kind", "snat_reply", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(1).split(" {2,}")).startsWith("SNAT_REPLY", "UDP", "192.0.2.53:53");
    }

    @Test
    void kindFiltersTheJsonToo() throws IOException {
        CliRun run = CliRun.run("conntrack", "--kind", "dnat", "-o", "json", "--url", gateway.url());

        JsonNode out = json.readTree(run.out());
        JsonNode all = json.readTree(CannedJson.CONNTRACK);
        assertThat(out).containsExactly(all.get(0), all.get(2));
    }

    @Test
    void noEntriesOfAKindIsOneLine() {
        gateway.answer("/api/v1/datapath/conntrack", 200, "[]");

        assertThat(CliRun.run("conntrack", "--kind", "snat", "--url", gateway.url())
                        .out())
                .isEqualTo("no SNAT conntrack entries\n");
    }

    @Test
    void hittingTheLimitIsPointedOut() {
        CliRun run = CliRun.run("conntrack", "--limit", "5", "--kind", "dnat", "--url", gateway.url());

        assertThat(run.lines()).hasSize(4);
        assertThat(run.lines().getLast()).isEqualTo("(the gateway stopped at --limit 5; there may be more)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--kind=tcp", "--limit=0", "--limit=100001", "--limit=many"})
    void badConntrackArgumentsAreUsageErrors(String arg) {
        CliRun run = CliRun.run("conntrack", arg, "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).contains("Usage: meshgw conntrack");
        assertThat(gateway.requests()).isEmpty();
    }

    @Test
    void countersInTheGatewaysOrder() {
        CliRun run = CliRun.run("counters", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("""
                        NAME                    PACKETS          BYTES  DESCRIPTION
                        pass                  1,020,304    412,345,678  not ours, handed on
                        dnat_new                  1,234         98,720  new inbound flows translated to a backend
                        dnat_established        987,654    812,345,678  inbound packets of known flows
                        dnat_reply              912,000  1,200,345,000  backend replies rewritten to the VIP
                        snat_new                  5,120        409,600  new outbound flows SNATed
                        snat_established         40,960      3,276,800  outbound packets of known flows
                        snat_reply               38,000      4,560,000  legacy replies rewritten to the pod
                        drop_no_backend              42          2,688  dropped: VIP without a backend
                        drop_policy                   7            420  dropped: denied by policy
                        drop_no_port                  0              0  dropped: SNAT port range exhausted
                        policy_allow              6,354        406,656  policy allowed a new flow
                        policy_deny                   7            420  policy denied a new flow
                        malformed                     0              0  headers cut short or inconsistent, passed untouched
                        fragment                      0              0  IP fragments, passed untouched
                        backend_reselect              0              0  known flows moved off a removed backend
                        icmp_error                    0              0  ICMP errors about translated flows, translated
                        drop_egress_fragment          0              0  dropped: IP fragments from an egress-restricted pod to its legacy destinations
                        drop_egress_protocol          0              0  dropped: not TCP, UDP or a translated ICMP error, from an egress-restricted pod
                        drop_egress_ipv6              0              0  dropped: routed IPv6 from the clusters while egress is SNATed
                        drop_no_flow                  0              0  dropped: a pod's TCP RST of no known egress flow
                        rst_out_of_window             0              0  TCP RSTs off the tracked sequence window, handed on; the flow stays open
                        tunnel_out                    0              0  packets encapsulated toward a peer gateway, a node or a gateway here
                        tunnel_in                     0              0  packets from a peer gateway, decapsulated
                        drop_tunnel_peer              0              0  dropped: IPIP to the tunnel endpoint from neither a peer gateway nor a node here
                        drop_tunnel_mtu               0              0  dropped: too large for the tunnel; with DF, ICMP fragmentation needed is sent
                        drop_tunnel_route             0              0  dropped: no route to the peer gateway's endpoint, or not encapsulated
                        ipv6_ext_limit                0              0  IPv6 past the extension headers walked (4), passed untouched
                        node_in                       0              0  IPIP from a node of this cluster, decapsulated
                        egress_steered                0              0  pods' packets steered to the gateway that owns their identity's egress address
                        drop_egress_no_owner          0              0  dropped: a pod's egress another gateway owns, with no owner to steer it to
                        backend_node                  0              0  flows' packets sent to their backend's node, whose node role returns replies
                        """);
    }

    @Test
    void noCountersIsOneLine() {
        gateway.answer("/api/v1/datapath/counters", 200, "[]");

        assertThat(CliRun.run("counters", "--url", gateway.url()).out())
                .isEqualTo("no counters (is the datapath attached?)\n");
    }
}
