package io.meshgw.gateway.cli;

import static io.meshgw.gateway.cli.Columns.leftAligned;
import static io.meshgw.gateway.cli.Columns.rightAligned;
import static io.meshgw.gateway.cli.Columns.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeersAndRoutesTest {

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
    void peersLikeBirdcShowProtocols() {
        CliRun run = CliRun.run("peers", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        List<String> lines = run.lines();
        String header = lines.getFirst();
        assertThat(header.split(" {2,}"))
                .containsExactly(
                        "NAME",
                        "ADDRESS",
                        "ASN",
                        "STATE",
                        "UPTIME/SINCE",
                        "RCVD",
                        "ACCEPTED",
                        "ADV",
                        "FLAPS",
                        "LAST ERROR");
        assertThat(lines).hasSize(4);
        String dc1 = row(lines, "dc1-rr1");
        assertThat(dc1.split(" {2,}"))
                .containsExactly(
                        "dc1-rr1", "192.0.2.254", "65001", "Established", "4d4h", "912,345", "12", "3", "0", "-");
        assertThat(row(lines, "dc2-rr1")).contains(" 2001:db8::fe ", " 42s ");
        String lab = row(lines, "lab");
        assertThat(lab).contains(" 4200000001 ", " Active ").endsWith("  hold timer expired");

        leftAligned(header, "STATE", lab, "Active");
        leftAligned(header, "LAST ERROR", lab, "hold timer expired");
        rightAligned(header, "RCVD", dc1, "912,345");
        rightAligned(header, "UPTIME/SINCE", dc1, "4d4h");
        rightAligned(header, "UPTIME/SINCE", lab, "-");
        rightAligned(header, "ASN", lab, "4200000001");
    }

    @Test
    void wideAddsTheMessagesBeforeTheFlaps() {
        CliRun run = CliRun.run("peers", "-o", "wide", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        String header = run.lines().getFirst();
        assertThat(header.split(" {2,}"))
                .containsExactly(
                        "NAME",
                        "ADDRESS",
                        "ASN",
                        "STATE",
                        "UPTIME/SINCE",
                        "RCVD",
                        "ACCEPTED",
                        "ADV",
                        "MSGS IN",
                        "MSGS OUT",
                        "FLAPS",
                        "LAST ERROR");
        String dc1 = row(run.lines(), "dc1-rr1");
        rightAligned(header, "MSGS IN", dc1, "1,523,001");
        rightAligned(header, "MSGS OUT", dc1, "8,123");
    }

    @Test
    void noPeersIsOneLine() {
        gateway.answer("/api/v1/bgp/peers", 200, "[]");

        CliRun run = CliRun.run("peers", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo("no BGP peers configured\n");
    }

    @Test
    void routesAreSortedByPrefixIpv4First() {
        CliRun run = CliRun.run("routes", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(run.lines().stream().map(l -> l.split(" ")[0]))
                .containsExactly(
                        "PREFIX",
                        "10.0.0.0/8",
                        "10.1.0.0/16",
                        "10.1.2.0/24",
                        "198.51.100.10/32",
                        "198.51.100.53/32",
                        "203.0.113.1/32",
                        "2001:db8::/32",
                        "2001:db8:100::/48");
        String header = run.lines().getFirst();
        String r = row(run.lines(), "10.1.2.0/24");
        assertThat(r.split(" {2,}"))
                .containsExactly("10.1.2.0/24", "192.0.2.253", "dc2-rr1", "65002", "200", "0", "65000:200 65002:7");
        assertThat(row(run.lines(), "198.51.100.53/32").split(" {2,}"))
                .containsExactly("198.51.100.53/32", "-", "local", "-", "-", "-", "-");
        assertThat(row(run.lines(), "2001:db8::/32")).contains(" 2001:db8::fe ");
        leftAligned(header, "AS PATH", row(run.lines(), "2001:db8:100::/48"), "65002 65020");
        rightAligned(header, "LOCAL PREF", r, "200");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "10.1.2.0/24, 10.1.2.0/24",
        "10.1.2.77, 10.1.2.0/24",
        "10.1.200.1, 10.1.0.0/16",
        "10.9.9.9, 10.0.0.0/8",
        "198.51.100.10, 198.51.100.10/32",
        "198.51.100.11, ",
        "2001:db8:100::5, 2001:db8:100::/48",
        "2001:db8:ffff::1, 2001:db8::/32",
        "2001:db8:100:1::/64, ",
        "10.1.0.0/24, ",
        "172.16.0.1, "
    })
    void prefixIsExactAndAnAddressTakesTheLongestMatch(String filter, String expected) {
        CliRun run = CliRun.run("routes", filter, "--url", gateway.url());

        assertThat(run.exit()).isZero();
        if (expected == null) {
            assertThat(run.out()).isEqualTo("no route matches " + filter + "\n");
        } else {
            assertThat(run.lines()).hasSize(2);
            assertThat(run.lines().get(1)).startsWith(expected + " ");
        }
    }

    @Test
    void thePrefixFilterAppliesToJsonToo() throws Exception {
        CliRun run = CliRun.run("routes", "10.1.2.77", "-o", "json", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("prefix").asText()).isEqualTo("10.1.2.0/24");
        assertThat(json.get(0).get("med").asLong()).isZero();
    }

    @Test
    void peerGoesToTheGatewayAndIsCheckedAgainOnTheAnswer() {
        CliRun run = CliRun.run("routes", "--peer", "dc2-rr1", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        assertThat(gateway.requests())
                .extracting(FakeGateway.Request::pathAndQuery)
                .containsExactly("/api/v1/bgp/routes?peer=dc2-rr1");
        assertThat(run.lines()).hasSize(4).allSatisfy(l -> assertThat(l).containsAnyOf("FROM", "dc2-rr1"));
    }

    @Test
    void anUnknownPeerSaysSo() {
        CliRun run = CliRun.run("routes", "--peer", "nope", "--url", gateway.url());

        assertThat(run.out()).isEqualTo("no routes from peer nope\n");
    }

    @Test
    void aBadPrefixIsAUsageErrorAndNeverReachesTheGateway() {
        CliRun run = CliRun.run("routes", "10.1", "--url", gateway.url());

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("'10.1' is neither an IPv4/IPv6 prefix").contains("Usage: meshgw routes");
        assertThat(gateway.requests()).isEmpty();
    }
}
