package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Variable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole lets the gateway write any Service and EndpointSlice; the admission policy narrows that to the ones
 * the LegacyService writer keeps. Checked as rendered: the policy matches exactly those writes by exactly the
 * gateway's service account, and its binding denies.
 */
class ServiceWritePolicyTest {
    private final ChartRender render = ChartRender.defaults();

    @Test
    void bothKindsAndEveryWriteAreMatched() {
        var spec = render.one(ValidatingAdmissionPolicy.class).getSpec();
        assertThat(spec.getFailurePolicy()).isEqualTo("Fail");
        assertThat(spec.getMatchConstraints().getResourceRules())
                .extracting(ServiceWritePolicyTest::rule)
                .containsExactlyInAnyOrder(
                        "/v1/services CREATE,DELETE,UPDATE", "discovery.k8s.io/v1/endpointslices CREATE,DELETE,UPDATE");
    }

    @Test
    void onlyTheGatewaysServiceAccountIsMatched() {
        String account = render.one(ServiceAccount.class).getMetadata().getName();
        assertThat(render.one(ValidatingAdmissionPolicy.class).getSpec().getMatchConditions())
                .singleElement()
                .satisfies(c -> assertThat(c.getExpression())
                        .isEqualTo("request.userInfo.username == 'system:serviceaccount:" + ChartRender.NAMESPACE + ":"
                                + account + "'"));

        var named = ChartRender.of(
                DeployTree.CHART,
                Optional.empty(),
                Map.of("serviceAccount.create", "false", "serviceAccount.name", "edge-gw"));
        assertThat(named.one(ValidatingAdmissionPolicy.class)
                        .getSpec()
                        .getMatchConditions()
                        .getFirst()
                        .getExpression())
                .isEqualTo(
                        "request.userInfo.username == 'system:serviceaccount:" + ChartRender.NAMESPACE + ":edge-gw'");
    }

    @Test
    void theNewAndTheOldObjectMustCarryTheWritersLabelAndControllerReference() {
        var spec = render.one(ValidatingAdmissionPolicy.class).getSpec();
        Map<String, String> variables =
                spec.getVariables().stream().collect(Collectors.toMap(Variable::getName, Variable::getExpression));
        assertThat(variables.get("labelKey"))
                .contains("'app.kubernetes.io/managed-by'", "'endpointslice.kubernetes.io/managed-by'");
        assertThat(variables.get("labelValue")).contains("'meshgw'", "'meshgw.io/operator'");
        for (String object : List.of("object", "oldObject")) {
            String marked = variables.get(object.equals("object") ? "newMarked" : "oldMarked");
            assertThat(marked)
                    .startsWith(object + " == null")
                    .contains(object + ".metadata.labels[variables.labelKey] == variables.labelValue")
                    .contains(object + ".metadata.ownerReferences.exists(r, r.kind == 'LegacyService'")
                    .contains("r.controller");
        }
        assertThat(spec.getValidations())
                .extracting(Validation::getExpression)
                .containsExactlyInAnyOrder("variables.newMarked", "variables.oldMarked");
    }

    @Test
    void theBindingNamesThePolicyAndDenies() {
        var binding = render.one(ValidatingAdmissionPolicyBinding.class);
        assertThat(binding.getSpec().getPolicyName())
                .isEqualTo(render.one(ValidatingAdmissionPolicy.class)
                        .getMetadata()
                        .getName());
        assertThat(binding.getSpec().getValidationActions()).containsExactly("Deny");
        assertThat(binding.getSpec().getParamRef()).isNull();
    }

    @Test
    void clustersOlderThan130CanTurnItOff() {
        var off = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("rbac.restrictServiceWrites", "false"));
        assertThat(off.all(ValidatingAdmissionPolicy.class)).isEmpty();
        assertThat(off.all(ValidatingAdmissionPolicyBinding.class)).isEmpty();
    }

    private static String rule(NamedRuleWithOperations rule) {
        return String.join(",", rule.getApiGroups()) + "/" + String.join(",", rule.getApiVersions()) + "/"
                + String.join(",", rule.getResources()) + " "
                + rule.getOperations().stream().sorted().collect(Collectors.joining(","));
    }
}
