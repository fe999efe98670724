package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
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
 * The Grafana dashboard is valid JSON, takes its data source from a template variable, shows every series the gateway
 * exports (or says why not), and queries only series the gateway exports, by labels they have, with values they take.
 * What the gateway exports is metrics/gateway-metrics.json, written by the gateway's MetricCatalogueTest from its
 * /q/metrics: never a list kept here. The chart's alert rules, if any, are held to the same series.
 */
class DashboardTest {
    static final GatewaySeries SERIES = GatewaySeries.read(DeployTree.METRICS);

    /** Families left off the dashboard on purpose, each with the reason. */
    static final Map<String, String> NOT_ON_THE_DASHBOARD = Map.of(
            "meshgw_reconcile_duration_seconds_max",
            "the longest pass of the last window only; the 'Reconcile duration' quantiles of the histogram show slow"
                    + " passes over any range",
            "meshgw_standalone_reloads_refused",
            "counts in standalone mode only, which the chart (and so its dashboard) does not install; the gateway's"
                    + " log says why each version of the file was refused",
            "meshgw_datapath_conntrack_sweep_failures",
            "a failed sweep is logged with its cause, and a minute without a completed sweep fails liveness, which"
                    + " restarts the gateway; the count is context for those logs, not a trend to watch");

    /**
     * The datapath outcomes of ordinary traffic, which 'Packets by outcome' and 'Bytes by outcome' show well enough;
     * every other outcome (drops, denials, untranslated packets, ...) must be selected by name in a panel that says
     * what it means.
     */
    static final Set<String> TRAFFIC_OUTCOMES = Set.of(
            "pass",
            "dnat_new",
            "dnat_established",
            "dnat_reply",
            "snat_new",
            "snat_established",
            "snat_reply",
            "policy_allow",
            "tunnel_out",
            "tunnel_in",
            "node_in",
            "egress_steered",
            "backend_node");

    /** Labels Prometheus adds to every series it scrapes. */
    static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    private static final Set<String> PROMQL_WORDS =
            Set.of("and", "or", "unless", "bool", "offset", "group_left", "group_right", "inf", "nan");
    private static final Pattern MATCHER = Pattern.compile("(\\w+)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
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
        for (String expr : expressions()) {
            assertThat(metricNames(expr)).as("metrics in %s", expr).isNotEmpty().isSubsetOf(SERIES.samples());
        }
    }

    @Test
    void everySeriesOfTheGatewayIsOnTheDashboardOrExcludedWithAReason() {
        Set<String> used = new TreeSet<>();
        expressions().forEach(e -> used.addAll(metricNames(e)));
        Set<String> missing = new TreeSet<>();
        for (var family : SERIES.families().values()) {
            if (NOT_ON_THE_DASHBOARD.containsKey(family.name())) continue;
            if (family.samples().stream().noneMatch(used::contains)) missing.add(family.name());
        }
        assertThat(missing)
                .as("series the gateway exports that no panel shows; add a panel, or an entry with the reason to"
                        + " NOT_ON_THE_DASHBOARD")
                .isEmpty();
        assertThat(NOT_ON_THE_DASHBOARD.keySet())
                .as("excluded series the gateway no longer exports")
                .isSubsetOf(SERIES.families().keySet());
        assertThat(NOT_ON_THE_DASHBOARD.keySet())
                .as("excluded series that a panel shows after all")
                .allSatisfy(f -> assertThat(SERIES.families().get(f).samples()).doesNotContainAnyElementsOf(used));
    }

    @Test
    void matchersAndGroupingsNameLabelsTheSeriesHave() {
        for (String expr : expressions()) {
            Matcher selector = SELECTOR.matcher(expr);
            while (selector.find()) {
                Set<String> labels = labelsOf(Set.of(selector.group(1)));
                Matcher m = MATCHER.matcher(selector.group(2));
                while (m.find()) {
                    assertThat(labels)
                            .as("label %s of %s in %s", m.group(1), selector.group(1), expr)
                            .contains(m.group(1));
                }
            }
            Set<String> labels = labelsOf(metricNames(expr));
            Matcher grouping = GROUPING.matcher(expr);
            while (grouping.find()) {
                for (String label : grouping.group(1).split(",")) {
                    if (label.isBlank()) continue;
                    assertThat(labels)
                            .as("grouping by %s in %s", label.strip(), expr)
                            .contains(label.strip());
                }
            }
        }
    }

    @Test
    void labelMatchersNameValuesTheGatewayExports() {
        for (String expr : expressions()) {
            Matcher m = MATCHER.matcher(expr);
            while (m.find()) {
                Set<String> known = SERIES.values(m.group(1));
                if (known.isEmpty()) continue;
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
    void everyUnusualOutcomeIsShownByName() {
        Set<String> named = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher m = Pattern.compile("outcome=~?\"([^\"]+)\"").matcher(expr);
            while (m.find()) {
                Pattern re = Pattern.compile(m.group(1));
                SERIES.values("outcome").stream()
                        .filter(o -> re.matcher(o).matches())
                        .forEach(named::add);
            }
        }
        Set<String> unusual = new TreeSet<>(SERIES.values("outcome"));
        unusual.removeAll(TRAFFIC_OUTCOMES);
        unusual.removeAll(named);
        assertThat(unusual)
                .as("datapath outcomes only the totals by outcome show; select them by name in the panel that"
                        + " explains them")
                .isEmpty();
        assertThat(TRAFFIC_OUTCOMES).isSubsetOf(SERIES.values("outcome"));
    }

    @Test
    void alertRulesQueryOnlyTheGatewaysSeries() {
        // AlertRulesTest holds the alerts to more; this keeps every rule the chart renders, alert or not, to the
        // series.
        for (var rule : ChartRender.everything().all(PrometheusRule.class)) {
            for (var group : rule.getSpec().getGroups()) {
                for (var r : group.getRules()) {
                    String expr = r.getExpr().getStrVal();
                    assertThat(metricNames(expr))
                            .as(
                                    "rule %s in %s",
                                    r.getAlert() != null ? r.getAlert() : r.getRecord(),
                                    rule.getMetadata().getName())
                            .isNotEmpty()
                            .isSubsetOf(SERIES.samples());
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
        assertThat(SERIES.values("outcome").stream().filter(o -> re.matcher(o).matches()))
                .containsExactlyInAnyOrderElementsOf(SERIES.values("outcome").stream()
                        .filter(o -> o.startsWith("drop_"))
                        .toList())
                .isNotEmpty();
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

    /** The labels of these series, with what Prometheus adds; a histogram's buckets also have le. */
    private static Set<String> labelsOf(Set<String> samples) {
        Set<String> labels = new TreeSet<>(TARGET_LABELS);
        for (String sample : samples) {
            SERIES.familyOf(sample).ifPresent(f -> labels.addAll(f.labels()));
            if (sample.endsWith("_bucket")) labels.add("le");
        }
        return labels;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
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
