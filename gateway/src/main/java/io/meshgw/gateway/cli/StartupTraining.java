package io.meshgw.gateway.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meshgw.gateway.api.v1.ApiError;
import io.meshgw.gateway.api.v1.ConntrackView;
import io.meshgw.gateway.api.v1.CounterView;
import io.meshgw.gateway.api.v1.EgressView;
import io.meshgw.gateway.api.v1.Explanation;
import io.meshgw.gateway.api.v1.ExplanationStep;
import io.meshgw.gateway.api.v1.MeshClusterView;
import io.meshgw.gateway.api.v1.PeerView;
import io.meshgw.gateway.api.v1.PortView;
import io.meshgw.gateway.api.v1.RouteView;
import io.meshgw.gateway.api.v1.ServiceView;
import io.meshgw.gateway.api.v1.TranslationView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The training run for the JDK's AOT cache (JEP 483/514), which {@code scripts/meshgw} builds once
 * per gateway build: runs every command, as table and as JSON, against a throw-away in-process
 * admin API on loopback, so that the cache holds the classes of picocli, Jackson and
 * java.net.http already loaded and linked. That is what makes {@code meshgw} start in a few
 * hundred milliseconds instead of a second. Prints nothing; exits 1 if a command failed.
 */
public final class StartupTraining {

    /**
     * One small, complete answer per endpoint, written from the API's own types: every field
     * present so every path is taken.
     */
    private static final Map<String, Object> ANSWERS = Map.of(
            PeersCommand.PATH,
            List.of(new PeerView(
                    "p",
                    "192.0.2.1",
                    65001,
                    "Established",
                    "2025-01-01T00:00:00Z",
                    1,
                    1,
                    1,
                    1,
                    1,
                    0,
                    null,
                    0,
                    List.of())),
            RoutesCommand.PATH,
            List.of(
                    new RouteView("10.0.0.0/8", "192.0.2.1", "p", List.of(65001L), List.of("65000:1"), null, 100L),
                    new RouteView("2001:db8::/32", null, "local", List.of(), List.of(), 1L, null)),
            ServicesCommand.PATH,
            List.of(new ServiceView(
                    "n",
                    "s",
                    "198.51.100.1",
                    List.of(new PortView("http", 80, "TCP")),
                    true,
                    1,
                    Map.of("c", 1),
                    true,
                    null)),
            TranslationsCommand.TRANSLATIONS,
            List.of(new TranslationView("198.51.100.1:80", "TCP", 1, List.of("10.0.0.1:80 (local)"))),
            TranslationsCommand.EGRESS,
            List.of(new EgressView(1, "192.0.2.1", "32768-60999", List.of("192.0.2.0/24"))),
            ClustersCommand.PATH,
            List.of(new MeshClusterView(1, "c", true, true, 1L, 0, 1, 0, 1, 1)),
            ConntrackCommand.PATH,
            List.of(new ConntrackView(
                    "DNAT", "TCP", "192.0.2.9:1", "198.51.100.1:80", "10.0.0.1:80", 1, 1, 1, 1, 1, 1, false)),
            CountersCommand.PATH,
            List.of(new CounterView("c", "d", 1, 1)),
            ExplainCommand.PATH,
            new Explanation(
                    "198.51.100.1:80", "translated", List.of(new ExplanationStep("bgp", "s", Map.of("k", "v")))));

    private static final String[][] RUNS = {
        {"peers"},
        {"routes", "10.1.2.3"},
        {"services"},
        {"translations"},
        {"clusters"},
        {"conntrack", "--kind", "dnat"},
        {"counters"},
        {"explain", "198.51.100.1:80"}
    };

    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, byte[]> bodies = new HashMap<>();
        for (Map.Entry<String, Object> a : ANSWERS.entrySet()) {
            bodies.put(a.getKey(), json.writeValueAsBytes(a.getValue()));
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = bodies.getOrDefault(
                    exchange.getRequestURI().getPath(), json.writeValueAsBytes(new ApiError("no such endpoint")));
            exchange.sendResponseHeaders(
                    ANSWERS.containsKey(exchange.getRequestURI().getPath()) ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        int failed = 0;
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            for (String[] run : RUNS) {
                for (String output : new String[] {"table", "wide", "json"}) {
                    failed += run(concat(run, "--url", url, "--token", "t", "-o", output)) == 0 ? 0 : 1;
                }
            }
            run(new String[] {"--help"});
            run(new String[] {"explain", "not-an-address"});
            run(new String[] {"peers", "--url", "http://127.0.0.1:9", "--token", "t"});
            run(new String[] {"routes", "--url", url + "/missing"});
        } finally {
            server.stop(0);
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int run(String[] args) {
        CommandLine cli = Meshgw.commandLine(new Meshgw(name -> null, Clock.systemUTC()));
        cli.setOut(new PrintWriter(Writer.nullWriter()));
        cli.setErr(new PrintWriter(Writer.nullWriter()));
        return cli.execute(args);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
