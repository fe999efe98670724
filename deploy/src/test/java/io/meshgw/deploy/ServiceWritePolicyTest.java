package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ClusterRole lets the gateway write any Service and EndpointSlice; the admission policies narrow that to what the
 * LegacyService writer keeps. Their expressions are evaluated with a CEL engine, as the API server would, on the
 * chart as the build renders it and on the plain manifests: the writer's own writes pass, everyone else's are not
 * judged, and what a stolen gateway service account would try is denied with a message saying why.
 */
class ServiceWritePolicyTest {
    private static final ChartRender CHART = ChartRender.defaults();

    static Stream<Arguments> scenarios() throws IOException {
        var manifests = StrictModel.parseAll(Files.readString(DeployTree.MANIFESTS));
        var scenarios = new ServiceWriteScenarios(CHART).all();
        return Stream.concat(
                scenarios.stream().map(s -> Arguments.of("chart", CHART.objects(), s)),
                scenarios.stream().map(s -> Arguments.of("manifests", manifests, s)));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("scenarios")
    void eachWriteGetsItsAnswer(String source, List<HasMetadata> objects, ServiceWriteScenarios.Scenario scenario) {
        var decision = ValidatingAdmission.of(objects)
                .admit(scenario.request(), ValidatingAdmission.Cluster.of(scenario.cluster()));
        assertThat(wrongAnswer(scenario, decision)).as(scenario.name()).isEmpty();
    }

    /**
     * What is wrong with the answer to a scenario, if anything: a denial of an allowed write, an allowed denied write,
     * other rules refusing than those expected, or an expression that errs (with failurePolicy Fail an error denies too,
     * but then the guard that should have said why is missing).
     */
    static Optional<String> wrongAnswer(
            ServiceWriteScenarios.Scenario scenario, ValidatingAdmission.Decision decision) {
        if (decision.message().contains("resulted in error"))
            return Optional.of("an expression erred: " + decision.message());
        if (scenario.allowed()) {
            return decision.allowed() ? Optional.empty() : Optional.of("denied: " + decision.message());
        }
        if (decision.allowed()) return Optional.of("allowed");
        // Exactly the rules expected refuse: each expected part in some denial, each denial of some expected rule.
        for (String part : scenario.denials()) {
            if (decision.denials().stream().noneMatch(d -> d.contains(part))) {
                return Optional.of("no denial says '" + part + "': " + decision.message());
            }
        }
        for (String denial : decision.denials()) {
            if (scenario.denials().stream().noneMatch(denial::contains)) {
                return Optional.of("denied also by: " + denial);
            }
        }
        return Optional.empty();
    }

    @Test
    void anotherServiceAccountNameIsTheOneJudged() {
        var named = ChartRender.of(
                DeployTree.CHART,
                Optional.empty(),
                Map.of("serviceAccount.create", "false", "serviceAccount.name", "edge-gw"));
        var admission = ValidatingAdmission.of(named.objects());
        var scenarios = new ServiceWriteScenarios(CHART);
        var exposed = scenarios.exposedServices().getFirst().request();
        var asEdgeGw = new AdmissionRequest(
                exposed.operation(),
                exposed.group(),
                exposed.version(),
                exposed.resource(),
                exposed.kind(),
                exposed.namespace(),
                exposed.name(),
                "system:serviceaccount:" + ChartRender.NAMESPACE + ":edge-gw",
                exposed.object(),
                exposed.oldObject(),
                exposed.extra());
        assertThat(admission
                        .admit(asEdgeGw, ValidatingAdmission.Cluster.empty())
                        .allowed())
                .isFalse();
        assertThat(admission.admit(exposed, ValidatingAdmission.Cluster.empty()).allowed())
                .as("the default account is not the gateway's here")
                .isTrue();
    }

    @Test
    void bothKindsAndEveryWriteAreMatched() {
        var policies = CHART.all(ValidatingAdmissionPolicy.class);
        assertThat(policies)
                .allSatisfy(p -> assertThat(p.getSpec().getFailurePolicy()).isEqualTo("Fail"));
        assertThat(policies.stream()
                        .flatMap(p -> p.getSpec().getMatchConstraints().getResourceRules().stream())
                        .map(ServiceWritePolicyTest::rule))
                .contains(
                        "/v1/services CREATE,DELETE,UPDATE", "discovery.k8s.io/v1/endpointslices CREATE,DELETE,UPDATE");
    }

    @Test
    void everyPolicyIsBoundAndDenies() {
        var names = CHART.all(ValidatingAdmissionPolicy.class).stream()
                .map(p -> p.getMetadata().getName())
                .toList();
        var bindings = CHART.all(ValidatingAdmissionPolicyBinding.class);
        assertThat(bindings).extracting(b -> b.getSpec().getPolicyName()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(bindings)
                .allSatisfy(b -> assertThat(b.getSpec().getValidationActions()).containsExactly("Deny"));
    }

    @Test
    void clustersOlderThan130CanTurnItOff() {
        var off = ChartRender.of(
                DeployTree.CHART,
                Optional.empty(),
                Map.of(
                        "rbac.restrictServiceWrites",
                        "false",
                        "rbac.confineTenants",
                        "false",
                        "rbac.restrictNodeWrites",
                        "false"));
        assertThat(off.all(ValidatingAdmissionPolicy.class)).isEmpty();
        assertThat(off.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
    }

    private static String rule(NamedRuleWithOperations rule) {
        return String.join(",", rule.getApiGroups()) + "/" + String.join(",", rule.getApiVersions()) + "/"
                + String.join(",", rule.getResources()) + " "
                + rule.getOperations().stream().sorted().collect(Collectors.joining(","));
    }
}
