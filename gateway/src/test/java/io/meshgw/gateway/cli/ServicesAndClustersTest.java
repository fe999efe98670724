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

class ServicesAndClustersTest {

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
    void servicesByNamespaceAndName() {
        CliRun run = CliRun.run("services", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        List<String> lines = run.lines();
        assertThat(lines.getFirst().split(" {2,}"))
                .containsExactly(
                        "NAMESPACE", "NAME", "VIP", "PORTS", "ANNOUNCED", "LOCAL", "REMOTE", "READY", "REASON");
        assertThat(lines.stream().skip(1).map(l -> l.split(" {2,}")[1]))
                .containsExactly("coredns", "cart", "orders", "payments");
        assertThat(row(lines, "dns").split(" {2,}"))
                .containsExactly(
                        "dns", "coredns", "198.51.100.53", "dns:53/UDP,dns-tcp:53/TCP", "yes", "1", "-", "yes", "-");
        String cart = lines.get(2);
        assertThat(cart.split(" {2,}"))
                .containsExactly("shop", "cart", "198.51.100.10", "http:80/TCP", "yes", "2", "west=2", "yes", "-");
        String orders = lines.get(3);
        assertThat(orders).contains(" no ").endsWith("  no ready backend in any cluster");
        String payments = lines.get(4);
        assertThat(payments.split(" {2,}"))
                .containsExactly("shop", "payments", "-", "grpc:9090/TCP", "no", "1", "-", "yes", "-");
        leftAligned(lines.getFirst(), "VIP", payments, "-");
        rightAligned(lines.getFirst(), "LOCAL", cart, "2");
    }

    @Test
    void noServicesIsOneLine() {
        gateway.answer("/api/v1/services", 200, "[]");

        assertThat(CliRun.run("services", "--url", gateway.url()).out()).isEqualTo("no services in the mesh\n");
    }

    @Test
    void clustersByIdWithHeartbeatAges() {
        CliRun run = CliRun.run("clusters", "--url", gateway.url());

        assertThat(run.exit()).isZero();
        List<String> lines = run.lines();
        String header = lines.getFirst();
        assertThat(header.split(" {2,}"))
                .containsExactly(
                        "ID",
                        "NAME",
                        "SYNCED",
                        "AVAILABLE",
                        "HEARTBEAT",
                        "LAG",
                        "APPLIED",
                        "REJECTED",
                        "SERVICES",
                        "ENDPOINTS");
        assertThat(lines.get(1).trim().split(" {2,}"))
                .containsExactly("1", "east", "yes", "yes", "850ms ago", "0", "123,456", "0", "4", "5");
        assertThat(lines.get(2).trim().split(" {2,}"))
                .containsExactly("2", "west", "yes", "yes", "1s ago", "12", "98,765", "3", "2", "2");
        assertThat(lines.get(3)).contains(" never ", " 4,521 ");
        rightAligned(header, "HEARTBEAT", lines.get(3), "never");
        rightAligned(header, "APPLIED", lines.get(1), "123,456");
        rightAligned(header, "ID", lines.get(1), "1");
    }

    @Test
    void noClustersIsOneLine() {
        gateway.answer("/api/v1/mesh/clusters", 200, "[]");

        assertThat(CliRun.run("clusters", "--url", gateway.url()).out()).isEqualTo("no clusters in the mesh yet\n");
    }
}
