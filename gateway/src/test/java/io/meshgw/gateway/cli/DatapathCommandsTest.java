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
                        198.51.100.53:53   UDP        1002  10.1.0.53:53 (local)
                        198.51.100.20:443  TCP        1003  none (packets are dropped)

                        Egress translations (source NAT)
                        IDENTITY  SOURCE      PORTS        DESTINATIONS
                            1001  192.0.2.10  32768-60999  192.0.2.0/24
                                                           203.0.113.0/24
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
        assertThat(lines).hasSize(5);
        String header = lines.getFirst();
        String dnat = row(lines, "DNAT");
        assertThat(dnat.split(" {2,}"))
                .containsExactly(
                        "DNAT",
                        "TCP",
                        "203.0.113.7:51234",
                        "198.51.100.10:80",
                        "10.1.0.10:8080",
                        "3",
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
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isEqualTo(json.readTree(CannedJson.CONNTRACK).get(0));
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
        CliRun run = CliRun.run("conntrack", "--limit", "4", "--kind", "dnat", "--url", gateway.url());

        assertThat(run.lines()).hasSize(3);
        assertThat(run.lines().getLast()).isEqualTo("(the gateway stopped at --limit 4; there may be more)");
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
                        NAME               PACKETS        BYTES  DESCRIPTION
                        dnat_hit         1,234,567  987,654,321  packets to a VIP translated to a backend
                        dnat_no_backend         42        2,688  packets to a VIP without a backend (dropped)
                        snat                 5,120      409,600  packets leaving with a gateway source address
                        """);
    }

    @Test
    void noCountersIsOneLine() {
        gateway.answer("/api/v1/datapath/counters", 200, "[]");

        assertThat(CliRun.run("counters", "--url", gateway.url()).out())
                .isEqualTo("no counters (is the datapath attached?)\n");
    }
}
