package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluator itself, on small policies whose verdicts follow from the API server's documented rules. */
class ValidatingAdmissionTest {
    static final String ME = "system:serviceaccount:ns:me";

    @Test
    void onlyMatchingResourcesAndOperationsAreEvaluated() {
        var admission = policy("""
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["services"]}
                validations:
                  - expression: "false"
                """);
        assertThat(admission
                        .admit(AdmissionRequest.create(ME, service("a", Map.of())), ValidatingAdmission.Cluster.empty())
                        .allowed())
                .isFalse();
        var a = service("a", Map.of());
        assertThat(admit(admission, AdmissionRequest.update(ME, a, a))).isTrue();
        assertThat(admit(
                        admission,
                        AdmissionRequest.create(
                                ME,
                                new ConfigMapBuilder()
                                        .withNewMetadata()
                                        .withName("c")
                                        .withNamespace("ns")
                                        .endMetadata()
                                        .build())))
                .isTrue();
    }

    @Test
    void aFalseMatchConditionSkipsThePolicyAndAnErrorAppliesTheFailurePolicy() {
        String rules = """
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                """;
        var skipped = policy(rules + """
                matchConditions:
                  - {name: me, expression: "request.userInfo.username == 'someone else'"}
                validations:
                  - expression: "false"
                """);
        assertThat(admit(skipped, AdmissionRequest.create(ME, service("a", Map.of()))))
                .isTrue();

        String erring = rules + """
                matchConditions:
                  - {name: broken, expression: "object.spec.nothing == 1"}
                validations:
                  - expression: "true"
                """;
        assertThat(admit(policy(erring), AdmissionRequest.create(ME, service("a", Map.of()))))
                .isFalse();
        assertThat(admit(
                        policy("failurePolicy: Ignore\n" + erring),
                        AdmissionRequest.create(ME, service("a", Map.of()))))
                .isTrue();
    }

    @Test
    void variablesSeeTheOnesBeforeAndAnErrorCountsOnlyWhereUsed() {
        var admission = policy("""
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                variables:
                  - {name: name, expression: "object.metadata.name"}
                  - {name: greeting, expression: "'hello ' + variables.name"}
                  - {name: broken, expression: "object.metadata.labels['missing']"}
                validations:
                  - expression: "variables.greeting == 'hello a'"
                  - expression: "variables.name == 'a' || variables.broken == 'x'"
                """);
        assertThat(admit(admission, AdmissionRequest.create(ME, service("a", Map.of()))))
                .isTrue();
        var b = admission.admit(
                AdmissionRequest.create(ME, service("b", Map.of())), ValidatingAdmission.Cluster.empty());
        assertThat(b.denials()).hasSize(2);
        assertThat(b.message()).contains("failed expression: variables.greeting == 'hello a'", "resulted in error");
    }

    @Test
    void aViolationSaysItsMessageExpressionMessageOrExpression() {
        var admission = policy("""
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                validations:
                  - expression: "false"
                    reason: Forbidden
                    messageExpression: "'no ' + object.metadata.name"
                  - expression: "false"
                    message: "plain"
                    messageExpression: "object.metadata.nothing"
                  - expression: "1 == 2"
                """);
        var decision = admission.admit(
                AdmissionRequest.create(ME, service("a", Map.of())), ValidatingAdmission.Cluster.empty());
        assertThat(decision.denials())
                .containsExactly("p: Forbidden: no a", "p: Invalid: plain", "p: Invalid: failed expression: 1 == 2");
    }

    @Test
    void objectIsNullOnDeleteAndOldObjectOnCreate() {
        var admission = policy("""
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                validations:
                  - expression: "request.operation == 'DELETE' ? object == null && oldObject != null : true"
                  - expression: "request.operation == 'CREATE' ? oldObject == null && object != null : true"
                """);
        var a = service("a", Map.of());
        assertThat(admit(admission, AdmissionRequest.create(ME, a))).isTrue();
        assertThat(admit(admission, AdmissionRequest.delete(ME, a))).isTrue();
    }

    @Test
    void withParamsThePolicyRunsOncePerParamOfTheRequestsNamespace() {
        String policy = """
                paramKind: {apiVersion: v1, kind: Service}
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["configmaps"]}
                validations:
                  - expression: "params.metadata.name != object.metadata.name"
                    messageExpression: "'taken by Service ' + params.metadata.name"
                """;
        var admission = policy(policy, "{selector: {}, parameterNotFoundAction: Deny}");
        var cluster = ValidatingAdmission.Cluster.of(List.of(
                service("x", Map.of()),
                service("y", Map.of()),
                new ServiceBuilder(service("z", Map.of()))
                        .editMetadata()
                        .withNamespace("other")
                        .endMetadata()
                        .build()));

        assertThat(admission.admit(configMap("y"), cluster).denials())
                .containsExactly("p: Invalid: taken by Service y");
        assertThat(admission.admit(configMap("z"), cluster).allowed())
                .as("z is in another namespace")
                .isTrue();
        assertThat(admission
                        .admit(configMap("z"), ValidatingAdmission.Cluster.empty())
                        .allowed())
                .as("no params, Deny")
                .isFalse();
        assertThat(policy(policy, "{selector: {}, parameterNotFoundAction: Allow}")
                        .admit(configMap("z"), ValidatingAdmission.Cluster.empty())
                        .allowed())
                .isTrue();

        var labelled = policy(policy, "{selector: {matchLabels: {pick: me}}, parameterNotFoundAction: Allow}");
        var picked =
                ValidatingAdmission.Cluster.of(List.of(service("x", Map.of("pick", "me")), service("y", Map.of())));
        assertThat(labelled.admit(configMap("x"), picked).allowed()).isFalse();
        assertThat(labelled.admit(configMap("y"), picked).allowed()).isTrue();
    }

    @Test
    void warnDoesNotDeny() {
        var objects = StrictModel.parseAll(document("""
                matchConstraints:
                  resourceRules:
                    - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                validations:
                  - expression: "false"
                """, null).replace("[\"Deny\"]", "[\"Warn\"]"));
        var decision = ValidatingAdmission.of(objects)
                .admit(AdmissionRequest.create(ME, service("a", Map.of())), ValidatingAdmission.Cluster.empty());
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.warnings()).hasSize(1);
    }

    @Test
    void whatItDoesNotImplementIsRefused() {
        assertThatThrownBy(() -> policy("""
                        matchConstraints:
                          objectSelector: {matchLabels: {a: b}}
                          resourceRules:
                            - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                        validations:
                          - expression: "true"
                        """)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> policy("""
                        matchConstraints:
                          resourceRules:
                            - {apiGroups: [""], apiVersions: ["v1"], operations: ["*"], resources: ["services"]}
                        validations:
                          - expression: "authorizer.group('').resource('pods').check('get').allowed()"
                        """)).hasMessageContaining("CEL does not compile");
    }

    // --- helpers

    static boolean admit(ValidatingAdmission admission, AdmissionRequest request) {
        return admission.admit(request, ValidatingAdmission.Cluster.empty()).allowed();
    }

    static ValidatingAdmission policy(String spec) {
        return policy(spec, null);
    }

    static ValidatingAdmission policy(String spec, String paramRef) {
        return ValidatingAdmission.of(StrictModel.parseAll(document(spec, paramRef)));
    }

    static String document(String spec, String paramRef) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: p}
                spec:
                %s
                ---
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicyBinding
                metadata: {name: b}
                spec:
                  policyName: p
                  validationActions: ["Deny"]
                %s
                """.formatted(spec.indent(2).stripTrailing(), paramRef == null ? "" : "  paramRef: " + paramRef);
    }

    static Service service(String name, Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
    }

    static AdmissionRequest configMap(String name) {
        HasMetadata map = new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace("ns")
                .withName(name)
                .endMetadata()
                .build();
        return AdmissionRequest.create(ME, map);
    }
}
