package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The policy's tests must fail when its logic is wrong. Each expression of the rendered policies (match conditions,
 * variables, validations) is changed one operator or literal at a time: || and && swapped, == and != swapped, a
 * negation dropped, a string literal replaced. Every such mutant must give some scenario of {@link
 * ServiceWriteScenarios} or case of {@link TenantPolicyTest} or {@link NodeWritePolicyTest} a wrong answer, as their tests judge it; a mutant that
 * survives is a check no test holds.
 */
class AdmissionPolicyMutationTest {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern OPERATOR = Pattern.compile("\\|\\||&&|==|!=|!(?!=)|'(?:[^'\\\\]|\\\\.)*'");

    /** Where an expression sits in a policy, to read and to replace it. */
    private record Site(
            String where,
            Function<ValidatingAdmissionPolicy, String> read,
            BiConsumer<ValidatingAdmissionPolicy, String> write) {}

    private record Mutant(String policy, String where, String expression) {}

    @Test
    void everyMutantOfThePolicyIsCaughtByAScenario() {
        ChartRender chart = ChartRender.defaults();
        var scenarios = new ServiceWriteScenarios(chart).all();
        List<String> survivors = new ArrayList<>();
        int mutants = 0;
        for (var policy : chart.all(ValidatingAdmissionPolicy.class)) {
            for (Site site : sites(policy)) {
                for (String mutated : mutations(site.read().apply(policy))) {
                    mutants++;
                    var copy = SERIALIZATION.clone(policy);
                    site.write().accept(copy, mutated);
                    var mutant = new Mutant(policy.getMetadata().getName(), site.where(), mutated);
                    if (!caught(replace(chart.objects(), policy, copy), scenarios)) survivors.add(mutant.toString());
                }
            }
        }
        assertThat(mutants).as("mutants made").isGreaterThan(50);
        assertThat(survivors).as("mutants no scenario catches, of %d", mutants).isEmpty();
    }

    @Test
    void theMutationsAreTheOnesMeant() {
        assertThat(mutations("a == 'x' || !b && c != d"))
                .containsExactly(
                        "a != 'x' || !b && c != d",
                        "a == '~' || !b && c != d",
                        "a == 'x' && !b && c != d",
                        "a == 'x' || b && c != d",
                        "a == 'x' || !b || c != d",
                        "a == 'x' || !b && c == d");
    }

    private static boolean caught(List<HasMetadata> objects, List<ServiceWriteScenarios.Scenario> scenarios) {
        ValidatingAdmission admission;
        try {
            admission = ValidatingAdmission.of(objects);
        } catch (IllegalArgumentException e) {
            return true; // does not compile: the API server refuses the policy
        }
        for (var s : scenarios) {
            var decision = admission.admit(s.request(), ValidatingAdmission.Cluster.of(s.cluster()));
            if (ServiceWritePolicyTest.wrongAnswer(s, decision).isPresent()) return true;
        }
        for (var c : Stream.concat(TenantPolicyTest.all().stream(), NodeWritePolicyTest.all().stream())
                .toList()) {
            var decision = admission.admit(c.request(), ValidatingAdmission.Cluster.empty());
            if (TenantPolicyTest.wrongAnswer(c, decision).isPresent()) return true;
        }
        return false;
    }

    static List<String> mutations(String expression) {
        List<String> out = new ArrayList<>();
        Matcher m = OPERATOR.matcher(expression);
        while (m.find()) {
            String replacement = switch (m.group()) {
                case "||" -> "&&";
                case "&&" -> "||";
                case "==" -> "!=";
                case "!=" -> "==";
                case "!" -> "";
                default -> "'~'";
            };
            out.add(expression.substring(0, m.start()) + replacement + expression.substring(m.end()));
        }
        return out;
    }

    private static List<Site> sites(ValidatingAdmissionPolicy policy) {
        var spec = policy.getSpec();
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < spec.getMatchConditions().size(); i++) {
            int n = i;
            sites.add(new Site(
                    "matchConditions[" + spec.getMatchConditions().get(i).getName() + "]",
                    p -> p.getSpec().getMatchConditions().get(n).getExpression(),
                    (p, e) -> p.getSpec().getMatchConditions().get(n).setExpression(e)));
        }
        for (int i = 0; i < spec.getVariables().size(); i++) {
            int n = i;
            sites.add(new Site(
                    "variables[" + spec.getVariables().get(i).getName() + "]",
                    p -> p.getSpec().getVariables().get(n).getExpression(),
                    (p, e) -> p.getSpec().getVariables().get(n).setExpression(e)));
        }
        for (int i = 0; i < spec.getValidations().size(); i++) {
            int n = i;
            sites.add(new Site(
                    "validations[" + i + "]",
                    p -> p.getSpec().getValidations().get(n).getExpression(),
                    (p, e) -> p.getSpec().getValidations().get(n).setExpression(e)));
        }
        return sites;
    }

    private static List<HasMetadata> replace(List<HasMetadata> objects, HasMetadata old, HasMetadata replacement) {
        return objects.stream().map(o -> o == old ? replacement : o).toList();
    }
}
