package io.meshgw.deploy;

import java.nio.file.Path;

/** Where the deploy module's artifacts live, and whether the tests may rewrite the generated ones. */
final class DeployTree {
    /** Rewrite the chart's CRD copies and the plain manifests instead of failing when they are stale. */
    static final boolean UPDATE = Boolean.getBoolean("meshgw.deploy.update");

    static final String REFRESH = "./mvnw -B -pl deploy verify -Dmeshgw.deploy.update=true";

    static final Path ROOT = Path.of(System.getProperty("meshgw.deploy.dir", "."))
            .toAbsolutePath()
            .normalize();

    /** The CRDs the operator build generates (read only here). */
    static final Path CRDS = ROOT.resolve("crds");

    static final Path CHART = ROOT.resolve("helm/meshgw");
    /**
     * The chart's copies of the CRDs, which templates/crds.yaml renders: not crds/, which Helm installs once and never
     * upgrades.
     */
    static final Path CHART_CRDS = CHART.resolve("files/crds");

    static final Path MANIFESTS = ROOT.resolve("manifests/meshgw.yaml");
    static final Path EXAMPLES = ROOT.resolve("examples");
    static final Path DASHBOARD = ROOT.resolve("grafana/meshgw-dashboard.json");
    /** The chart's copy of the dashboard, which templates/dashboard.yaml puts in a ConfigMap. */
    static final Path CHART_DASHBOARD = CHART.resolve("files/grafana/meshgw-dashboard.json");

    /** The gateway's series, as its MetricCatalogueTest writes them (read only here). */
    static final Path METRICS = ROOT.resolve("metrics/gateway-metrics.json");

    /** Values that turn on every optional part of the chart. */
    static final Path VALUES_ALL = ROOT.resolve("src/test/resources/values-all.yaml");

    private DeployTree() {}
}
