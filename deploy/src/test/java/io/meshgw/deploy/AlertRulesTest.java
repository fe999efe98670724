package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts (files/prometheus/meshgw-alerts.yaml in a PrometheusRule) query only series the gateway exports,
 * as metrics/gateway-metrics.json records them, and tell whoever is paged what is wrong and where: a severity, a
 * summary and a description that name only labels the alert's expression keeps.
 */
class AlertRulesTest {
    static final GatewaySeries SERIES = DashboardTest.SERIES;
    static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");

    private static final Pattern LABEL_REFERENCE = Pattern.compile("\\$labels\\.(\\w+)");
    private static final Pattern BY = Pattern.compile("\\bby\\s*\\(([^)]*)\\)");
    private static final Pattern AGGREGATION = Pattern.compile("\\b(sum|min|max|avg|count)\\s*\\(");

    @Test
    void offByDefault() {
        assertThat(ChartRender.defaults().all(PrometheusRule.class)).isEmpty();
    }

    @Test
    void enabledRendersTheAlertsWithTheExtraLabels() {
        var rule = ChartRender.everything().one(PrometheusRule.class);
        assertThat(rule.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        assertThat(rule.getMetadata().getLabels())
                .containsEntry("release", "prometheus")
                .containsEntry("app.kubernetes.io/part-of", "meshgw");
        assertThat(alerts(rule).keySet())
                .containsExactlyInAnyOrder(
                        "MeshgwBgpSessionDown",
                        "MeshgwAllBgpSessionsDown",
                        "MeshgwBgpSessionFlapping",
                        "MeshgwVipWithoutBackend",
                        "MeshgwMeshClusterUnavailable",
                        "MeshgwMeshRecordsRejected",
                        "MeshgwMeshReaderDown",
                        "MeshgwRemoteAddressesRejected",
                        "MeshgwNoLeaseHolder",
                        "MeshgwDatapathMapNearlyFull");
    }

    @Test
    void everyAlertQueriesOnlyTheGatewaysSeries() {
        var rule = ChartRender.everything().one(PrometheusRule.class);
        assertThat(unknownSeries(rule))
                .as("series no gateway exports, by alert")
                .isEmpty();
    }

    @Test
    void anAlertOnASeriesTheGatewayDoesNotExportIsCaught(@TempDir Path tmp) throws IOException {
        Path chart = ChartRenderTest.copyChart(tmp);
        Path rules = chart.resolve("files/prometheus/meshgw-alerts.yaml");
        Files.writeString(
                rules,
                Files.readString(rules)
                        .replace("expr: meshgw_bgp_session_up == 0", "expr: meshgw_bpf_map_fill_ratio > 0.9"));
        var rule = ChartRender.of(chart, Optional.of(DeployTree.VALUES_ALL), Map.of())
                .one(PrometheusRule.class);

        assertThat(unknownSeries(rule))
                .containsExactly(Map.entry("MeshgwBgpSessionDown", Set.of("meshgw_bpf_map_fill_ratio")));
    }

    @Test
    void everyAlertSaysHowBadWhatAndWhere() {
        for (var e : alerts(ChartRender.everything().one(PrometheusRule.class)).entrySet()) {
            Rule rule = e.getValue();
            String expr = rule.getExpr().getStrVal();
            assertThat(rule.getLabels()).as("%s labels", e.getKey()).containsKey("severity");
            assertThat(SEVERITIES)
                    .as("%s severity", e.getKey())
                    .contains(rule.getLabels().get("severity"));
            assertThat(rule.getAnnotations()).as("%s annotations", e.getKey()).containsKeys("summary", "description");
            assertThat(rule.getAnnotations().get("summary")).isNotBlank().doesNotContain("\n");
            assertThat(rule.getAnnotations().get("description")).hasSizeGreaterThan(100);

            Set<String> kept = labelsKept(expr);
            Set<String> exported = new TreeSet<>(DashboardTest.TARGET_LABELS);
            DashboardTest.metricNames(expr)
                    .forEach(n -> SERIES.familyOf(n).ifPresent(f -> exported.addAll(f.labels())));
            assertThat(exported).as("labels of the series in %s", expr).containsAll(kept);
            for (String text : rule.getAnnotations().values()) {
                Matcher m = LABEL_REFERENCE.matcher(text);
                while (m.find()) {
                    assertThat(kept)
                            .as("%s names $labels.%s, which %s does not keep", e.getKey(), m.group(1), expr)
                            .contains(m.group(1));
                }
            }
        }
    }

    @Test
    void labelsKeptFollowTheExpression() {
        assertThat(labelsKept("max by (instance) (meshgw_bgp_session_up) == 0")).containsExactly("instance");
        assertThat(labelsKept("(sum(meshgw_leader) or vector(0)) < 1")).isEmpty();
        assertThat(labelsKept("meshgw_bgp_session_up == 0")).contains("peer", "address", "instance");
        assertThatThrownBy(() -> assertThat(labelsKept("meshgw_leader == 0")).contains("peer"))
                .isInstanceOf(AssertionError.class);
    }

    /** Per alert, the metric names of its expression that the gateway does not export. */
    static Map<String, Set<String>> unknownSeries(PrometheusRule rule) {
        Map<String, Set<String>> unknown = new TreeMap<>();
        alerts(rule).forEach((name, r) -> {
            Set<String> names = DashboardTest.metricNames(r.getExpr().getStrVal());
            assertThat(names).as("metrics in %s", name).isNotEmpty();
            names.removeAll(SERIES.samples());
            if (!names.isEmpty()) unknown.put(name, names);
        });
        return unknown;
    }

    /**
     * The labels an alert's series carry: the {@code by} labels of an aggregation, none of one without, or else those
     * of the series it selects with the target's.
     */
    static Set<String> labelsKept(String expr) {
        Matcher by = BY.matcher(expr);
        if (by.find()) {
            Set<String> out = new TreeSet<>();
            for (String l : by.group(1).split(",")) out.add(l.strip());
            return out;
        }
        if (AGGREGATION.matcher(expr).find()) return Set.of();
        Set<String> out = new TreeSet<>(DashboardTest.TARGET_LABELS);
        for (String sample : DashboardTest.metricNames(expr)) {
            SERIES.familyOf(sample).ifPresent(f -> out.addAll(f.labels()));
        }
        return out;
    }

    static Map<String, Rule> alerts(PrometheusRule rule) {
        Map<String, Rule> out = new TreeMap<>();
        List<String> names = new ArrayList<>();
        for (var group : rule.getSpec().getGroups()) {
            for (var r : group.getRules()) {
                assertThat(r.getAlert())
                        .as("a recording rule in %s", group.getName())
                        .isNotBlank();
                names.add(r.getAlert());
                out.put(r.getAlert(), r);
            }
        }
        assertThat(names).as("alert names").doesNotHaveDuplicates();
        return out;
    }
}
