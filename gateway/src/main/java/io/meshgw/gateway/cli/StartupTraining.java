package io.meshgw.gateway.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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

    /** One small, complete answer per endpoint: every field present so every path is taken. */
    private static final Map<String, String> ANSWERS = Map.of(
            "/api/v1/bgp/peers",
            "[{\"name\":\"p\",\"address\":\"192.0.2.1\",\"peerAsn\":65001,\"state\":\"ESTABLISHED\","
                    + "\"establishedSince\":\"2025-01-01T00:00:00Z\",\"prefixesReceived\":1,\"prefixesAccepted\":1,"
                    + "\"prefixesAdvertised\":1,\"messagesReceived\":1,\"messagesSent\":1,\"flaps\":0,\"lastError\":null}]",
            "/api/v1/bgp/routes",
            "[{\"prefix\":\"10.0.0.0/8\",\"nextHop\":\"192.0.2.1\",\"from\":\"p\",\"asPath\":[65001],"
                    + "\"communities\":[\"65000:1\"],\"med\":null,\"localPref\":100},"
                    + "{\"prefix\":\"2001:db8::/32\",\"nextHop\":null,\"from\":\"local\",\"asPath\":[],"
                    + "\"communities\":[],\"med\":1,\"localPref\":null}]",
            "/api/v1/services",
            "[{\"namespace\":\"n\",\"name\":\"s\",\"vip\":\"198.51.100.1\",\"ports\":[{\"name\":\"http\","
                    + "\"port\":80,\"protocol\":\"TCP\"}],\"announced\":true,\"localBackends\":1,"
                    + "\"remoteBackends\":{\"c\":1},\"ready\":true,\"reason\":null}]",
            "/api/v1/datapath/translations",
            "[{\"vip\":\"198.51.100.1:80\",\"protocol\":\"TCP\",\"identity\":1,\"backends\":[\"10.0.0.1:80 (local)\"]}]",
            "/api/v1/datapath/egress",
            "[{\"identity\":1,\"source\":\"192.0.2.1\",\"ports\":\"32768-60999\",\"destinations\":[\"192.0.2.0/24\"]}]",
            "/api/v1/mesh/clusters",
            "[{\"id\":1,\"name\":\"c\",\"synced\":true,\"available\":true,\"lastHeartbeatAgeMs\":1,\"lag\":0,"
                    + "\"recordsApplied\":1,\"recordsRejected\":0,\"services\":1,\"endpoints\":1}]",
            "/api/v1/datapath/conntrack",
            "[{\"kind\":\"DNAT\",\"protocol\":\"TCP\",\"source\":\"192.0.2.9:1\",\"destination\":\"198.51.100.1:80\","
                    + "\"translatedTo\":\"10.0.0.1:80\",\"backendId\":1,\"identity\":1,\"ageMillis\":1,"
                    + "\"idleMillis\":1,\"packets\":1,\"bytes\":1}]",
            "/api/v1/datapath/counters",
            "[{\"name\":\"c\",\"description\":\"d\",\"packets\":1,\"bytes\":1}]",
            "/api/v1/explain",
            "{\"address\":\"198.51.100.1:80\",\"verdict\":\"translated\",\"steps\":[{\"stage\":\"bgp\","
                    + "\"summary\":\"s\",\"details\":{\"k\":\"v\"}}]}");

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
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ANSWERS.getOrDefault(exchange.getRequestURI().getPath(), "{\"error\":\"no\"}")
                    .getBytes(StandardCharsets.UTF_8);
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
                for (String output : new String[] {"table", "json"}) {
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
