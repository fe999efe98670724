package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard is valid JSON, takes its data source from a template variable, and queries only series the
 * gateway exports, with label values it really uses.
 */
class DashboardTest {
    /** The gateway's Prometheus series (gateway/.../metrics/GatewayMetrics.java, control/ControlPlane.java, dns/DnsService.java). */
    static final Set<String> METRICS = Set.of(
            "meshgw_bgp_session_up",
            "meshgw_bgp_session_state",
            "meshgw_bgp_prefixes",
            "meshgw_bgp_session_flaps",
            "meshgw_datapath_packets_total",
            "meshgw_datapath_bytes_total",
            "meshgw_mesh_cluster_available",
            "meshgw_mesh_cluster_lag_records",
            "meshgw_mesh_heartbeat_age_seconds",
            "meshgw_mesh_records_applied_total",
            "meshgw_mesh_records_rejected_total",
            "meshgw_reconcile_duration_seconds_bucket",
            "meshgw_dns_answers_total");

    /** Values of the labels with a closed set: the datapath's outcomes (bpf-tc's Counter) and prefix kinds. */
    static final Map<String, Set<String>> LABEL_VALUES = Map.of(
            "outcome",
            Set.of(
                    "pass",
                    "dnat_new",
                    "dnat_established",
                    "dnat_reply",
                    "snat_new",
                    "snat_established",
                    "snat_reply",
                    "drop_no_backend",
                    "drop_policy",
                    "drop_no_port",
                    "policy_allow",
                    "policy_deny",
                    "malformed",
                    "fragment",
                    "backend_reselect"),
            "kind",
            Set.of("received", "accepted", "advertised"));

    private static final Set<String> PROMQL_WORDS =
            Set.of("and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

    private final JsonNode dashboard = read();

    @Test
    void theDataSourceIsATemplateVariable() {
        JsonNode variable = variables().stream()
                .filter(v -> v.path("type").asText().equals("datasource"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no datasource template variable"));
        assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        String reference = "${" + variable.path("name").asText() + "}";

        for (JsonNode panel : panels()) {
            if (panel.path("type").asText().equals("row")) continue;
            assertThat(panel.path("datasource").path("uid").asText())
                    .as("panel '%s'", panel.path("title").asText())
                    .isEqualTo(reference);
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo(reference);
            }
        }
        for (JsonNode v : variables()) {
            if (v.path("type").asText().equals("query")) {
                assertThat(v.path("datasource").path("uid").asText()).isEqualTo(reference);
            }
        }
    }

    @Test
    void queriesUseOnlyTheGatewaysSeries() {
        Set<String> used = new TreeSet<>();
        for (String expr : expressions()) {
            Set<String> names = metricNames(expr);
            assertThat(names).as("metrics in %s", expr).isNotEmpty().isSubsetOf(METRICS);
            used.addAll(names);
        }
        assertThat(used).as("every series is on the dashboard").containsExactlyInAnyOrderElementsOf(METRICS);
    }

    @Test
    void labelMatchersNameValuesTheGatewayExports() {
        for (String expr : expressions()) {
            Matcher m = MATCHER.matcher(expr);
            while (m.find()) {
                Set<String> known = LABEL_VALUES.get(m.group(1));
                if (known == null) continue;
                String op = m.group(2);
                String value = m.group(3);
                if (op.equals("=") || op.equals("!=")) {
                    assertThat(known).as("%s in %s", m.group(), expr).contains(value);
                } else {
                    // Prometheus anchors regular expressions; every alternative must match some value.
                    for (String alternative : value.split("\\|")) {
                        Pattern re = Pattern.compile(alternative);
                        assertThat(known)
                                .as("'%s' of %s matches no %s", alternative, m.group(), m.group(1))
                                .anyMatch(k -> re.matcher(k).matches());
                    }
                }
            }
        }
    }

    @Test
    void dropsByReasonCoverEveryDrop() {
        JsonNode drops = panels().stream()
                .filter(p -> p.path("title").asText().equals("Drops by reason"))
                .findFirst()
                .orElseThrow();
        String expr = drops.path("targets").get(0).path("expr").asText();
        Matcher m = Pattern.compile("outcome=~\"([^\"]+)\"").matcher(expr);
        assertThat(m.find()).as(expr).isTrue();
        Pattern re = Pattern.compile(m.group(1));
        assertThat(LABEL_VALUES.get("outcome").stream()
                        .filter(o -> re.matcher(o).matches()))
                .containsExactlyInAnyOrder("drop_no_backend", "drop_policy", "drop_no_port");
    }

    @Test
    void panelsHaveUniqueIdsAndAPlace() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels()) {
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel id %s", panel.path("id"))
                    .isTrue();
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            assertThat(panel.path("gridPos").path("h").asInt()).isPositive();
            assertThat(panel.path("title").asText()).isNotBlank();
        }
        assertThat(dashboard.path("uid").asText()).isNotBlank();
    }

    @Test
    void metricNamesAreFoundOutsideMatchersRangesAndGroupings() {
        assertThat(metricNames(
                        "sum by (instance, outcome) (rate(meshgw_datapath_packets_total{outcome=~\"drop_.*\"}[$__rate_interval]))"
                                + " / on (instance) group_left sum(meshgw_datapath_packets) > bool 0"))
                .containsExactly("meshgw_datapath_packets", "meshgw_datapath_packets_total");
    }

    /** Metric names in a PromQL expression: identifiers outside label matchers, ranges and groupings. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"[^\"]*\"", "\"\"")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group(1);
            if (!PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) names.add(word);
        }
        return names;
    }

    private List<String> expressions() {
        List<String> out = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                out.add(target.path("expr").asText());
            }
        }
        for (JsonNode v : variables()) {
            if (!v.path("type").asText().equals("query")) continue;
            // label_values(<series selector>, <label>): the series is the metric.
            Matcher m = Pattern.compile("label_values\\((.+),\\s*\\w+\\)")
                    .matcher(
                            v.path("query").path("query").asText(v.path("query").asText()));
            assertThat(m.matches()).as("variable %s", v.path("name")).isTrue();
            out.add(m.group(1));
        }
        assertThat(out).isNotEmpty().allSatisfy(e -> assertThat(e).isNotBlank());
        return out;
    }

    private List<JsonNode> panels() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    private List<JsonNode> variables() {
        List<JsonNode> out = new ArrayList<>();
        dashboard.path("templating").path("list").forEach(out::add);
        return out;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper().readTree(DeployTree.DASHBOARD.toFile());
        } catch (IOException e) {
            throw new AssertionError(DeployTree.DASHBOARD + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
