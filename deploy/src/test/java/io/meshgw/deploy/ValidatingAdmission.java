package io.meshgw.deploy;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchResources;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.NamedRuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ValidatingAdmissionPolicies and their bindings evaluated the way the API server evaluates them, with a CEL engine
 * (cel-java), so tests assert what a policy allows and denies instead of what its text looks like.
 *
 * <p>Per binding of a policy: the policy's resource rules and the binding's must match the request; every match
 * condition must be true (one false skips the policy; an error with none false applies the failure policy); with a
 * {@code paramKind}, the binding's {@code paramRef} selects the params and the policy is evaluated once per param (none
 * found: {@code parameterNotFoundAction}); variables are evaluated in order, each seeing the ones before; each
 * validation that is false is a violation with its messageExpression, message or "failed expression" text, and one that
 * errors applies the failure policy. Violations of a binding with the Deny action deny the request.
 *
 * <p>Expressions see {@code object}, {@code oldObject} (null on CREATE and DELETE respectively), {@code request},
 * {@code params}, {@code namespaceObject} and {@code variables}, untyped, with the standard CEL library and macros. What
 * the API server adds on top (type checking against the OpenAPI schemas, cost limits, the Kubernetes extension
 * libraries, {@code authorizer}) is not here: an expression using an extension or {@code authorizer} fails to compile,
 * and a policy using a match feature this class does not implement (object or namespace selectors, exclusions,
 * audit annotations) is refused rather than half evaluated.
 */
final class ValidatingAdmission {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("object", SimpleType.DYN)
            .addVar("oldObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("params", SimpleType.DYN)
            .addVar("namespaceObject", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME =
            CelRuntimeFactory.standardCelRuntimeBuilder().build();
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    /** The objects of the cluster a request is admitted into: params and the namespace are looked up here. */
    interface Cluster {
        /** Objects of {@code apiVersion}/{@code kind} in {@code namespace} (every namespace when null), as JSON. */
        List<Map<String, Object>> find(String apiVersion, String kind, String namespace);

        static Cluster empty() {
            return of(List.of());
        }

        static Cluster of(List<? extends HasMetadata> objects) {
            return (apiVersion, kind, namespace) -> objects.stream()
                    .filter(o ->
                            o.getApiVersion().equals(apiVersion) && o.getKind().equals(kind))
                    .filter(o -> namespace == null
                            || namespace.equals(o.getMetadata().getNamespace()))
                    .map(AdmissionRequest::json)
                    .toList();
        }
    }

    /** The outcome: allowed, or denied with one message per violation (policy name, reason, message). */
    record Decision(List<String> denials, List<String> warnings) {
        boolean allowed() {
            return denials.isEmpty();
        }

        String message() {
            return String.join("; ", denials);
        }
    }

    private record Bound(ValidatingAdmissionPolicy policy, ValidatingAdmissionPolicyBinding binding) {}

    private final List<Bound> bound;

    private ValidatingAdmission(List<Bound> bound) {
        this.bound = bound;
    }

    /** The policies and bindings among {@code objects} (a rendered chart); a binding naming no policy is ignored. */
    static ValidatingAdmission of(List<HasMetadata> objects) {
        Map<String, ValidatingAdmissionPolicy> policies = new HashMap<>();
        objects.stream()
                .filter(ValidatingAdmissionPolicy.class::isInstance)
                .map(ValidatingAdmissionPolicy.class::cast)
                .forEach(p -> policies.put(p.getMetadata().getName(), p));
        List<Bound> bound = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ValidatingAdmissionPolicyBinding b) {
                var policy = policies.get(b.getSpec().getPolicyName());
                if (policy != null) bound.add(new Bound(checkSupported(policy), b));
            }
        }
        for (var b : bound) compileAll(b.policy());
        return new ValidatingAdmission(bound);
    }

    Decision admit(AdmissionRequest request, Cluster cluster) {
        List<String> denials = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Bound b : bound) {
            List<String> violations = evaluate(b, request, cluster);
            if (violations.isEmpty()) continue;
            var actions = b.binding().getSpec().getValidationActions();
            if (actions.contains("Deny")) denials.addAll(violations);
            if (actions.contains("Warn")) warnings.addAll(violations);
        }
        return new Decision(List.copyOf(denials), List.copyOf(warnings));
    }

    /** The violations of one binding; empty when it does not apply or allows. */
    private List<String> evaluate(Bound b, AdmissionRequest request, Cluster cluster) {
        var spec = b.policy().getSpec();
        String name = b.policy().getMetadata().getName();
        boolean fail = !"Ignore".equals(spec.getFailurePolicy());
        if (!matches(spec.getMatchConstraints(), request)) return List.of();
        var bindingMatch = b.binding().getSpec().getMatchResources();
        if (bindingMatch != null && !matches(bindingMatch, request)) return List.of();

        Map<String, Object> base = new HashMap<>();
        base.put("object", orNull(AdmissionRequest.escaped(request.object())));
        base.put("oldObject", orNull(AdmissionRequest.escaped(request.oldObject())));
        base.put("request", request.asCel());
        base.put("namespaceObject", namespaceObject(request, cluster));

        List<Object> params = new ArrayList<>();
        if (spec.getParamKind() == null) {
            params.add(NullValue.NULL_VALUE);
        } else {
            params.addAll(params(b, request, cluster));
            if (params.isEmpty()) {
                var ref = b.binding().getSpec().getParamRef();
                if ("Allow".equals(ref.getParameterNotFoundAction())) return List.of();
                return fail
                        ? List.of(name + ": no params found for the binding "
                                + b.binding().getMetadata().getName())
                        : List.of();
            }
        }

        List<String> violations = new ArrayList<>();
        for (Object param : params) {
            Map<String, Object> vars = new HashMap<>(base);
            vars.put("params", param);
            vars.put("variables", Map.of());
            // Match conditions: one false skips the policy; otherwise an error applies the failure policy.
            String conditionError = null;
            boolean skip = false;
            for (var condition : spec.getMatchConditions()) {
                try {
                    if (!Boolean.TRUE.equals(eval(condition.getExpression(), vars))) {
                        skip = true;
                        break;
                    }
                } catch (CelEvaluationException e) {
                    conditionError = name + ": match condition " + condition.getName() + " failed: " + e.getMessage();
                }
            }
            if (skip) continue;
            if (conditionError != null) {
                if (fail) violations.add(conditionError);
                continue;
            }
            // Variables are lazy in the API server: one that errors only matters where it is used, and there CEL
            // treats it as any error (true || error is true). Left out of the map, its use errors the same way.
            Map<String, Object> variables = new LinkedHashMap<>();
            Map<String, String> variableErrors = new HashMap<>();
            for (var v : spec.getVariables()) {
                vars.put("variables", Map.copyOf(variables));
                try {
                    variables.put(v.getName(), eval(v.getExpression(), vars));
                } catch (CelEvaluationException e) {
                    variableErrors.put(v.getName(), e.getMessage());
                }
            }
            vars.put("variables", Map.copyOf(variables));
            for (Validation validation : spec.getValidations()) {
                String error = null;
                Object result = null;
                try {
                    result = eval(validation.getExpression(), vars);
                    if (!(result instanceof Boolean)) error = "not a bool: " + result;
                } catch (CelEvaluationException e) {
                    error = e.getMessage();
                    for (var v : variableErrors.entrySet()) {
                        if (error.contains("'" + v.getKey() + "'"))
                            error += " (variables." + v.getKey() + ": " + v.getValue() + ")";
                    }
                }
                if (error != null) {
                    if (fail) {
                        violations.add(
                                name + ": expression '" + validation.getExpression() + "' resulted in error: " + error);
                    }
                } else if (!(Boolean) result) {
                    violations.add(name + ": " + Objects.requireNonNullElse(validation.getReason(), "Invalid") + ": "
                            + message(validation, vars));
                }
            }
        }
        return violations;
    }

    /** messageExpression, else message, else the expression; as the API server falls back when one is unusable. */
    private static String message(Validation validation, Map<String, Object> vars) {
        if (validation.getMessageExpression() != null) {
            try {
                if (eval(validation.getMessageExpression(), vars) instanceof String s
                        && !s.isBlank()
                        && !s.contains("\n")) {
                    return s;
                }
            } catch (CelEvaluationException e) {
                // falls back, like the API server, which only logs the error
            }
        }
        if (validation.getMessage() != null && !validation.getMessage().isBlank()) return validation.getMessage();
        return "failed expression: " + validation.getExpression();
    }

    private static List<Map<String, Object>> params(Bound b, AdmissionRequest request, Cluster cluster) {
        var kind = b.policy().getSpec().getParamKind();
        var ref = b.binding().getSpec().getParamRef();
        if (ref == null)
            throw new IllegalStateException(b.binding().getMetadata().getName() + " has no paramRef");
        String namespace = ref.getNamespace() != null ? ref.getNamespace() : request.namespace();
        List<Map<String, Object>> found = new ArrayList<>();
        for (var p : cluster.find(kind.getApiVersion(), kind.getKind(), namespace)) {
            Map<?, ?> metadata = (Map<?, ?>) p.get("metadata");
            if (ref.getName() != null
                    ? ref.getName().equals(metadata.get("name"))
                    : selects(ref.getSelector(), labels(p))) {
                found.add(AdmissionRequest.escaped(p));
            }
        }
        return found;
    }

    private static Object namespaceObject(AdmissionRequest request, Cluster cluster) {
        if (request.namespace() == null || request.namespace().isEmpty()) return NullValue.NULL_VALUE;
        return cluster.find("v1", "Namespace", null).stream()
                .filter(n -> request.namespace().equals(((Map<?, ?>) n.get("metadata")).get("name")))
                .findFirst()
                .<Object>map(n -> n)
                .orElse(NullValue.NULL_VALUE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> labels(Map<String, Object> object) {
        var metadata = (Map<String, Object>) object.get("metadata");
        return (Map<String, String>) metadata.getOrDefault("labels", Map.of());
    }

    /** A label selector as the API server reads it; an empty selector selects everything. */
    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) return false;
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) return false;
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                String value = labels.get(r.getKey());
                boolean ok = switch (r.getOperator()) {
                    case "In" -> value != null && r.getValues().contains(value);
                    case "NotIn" -> value == null || !r.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default -> throw new IllegalArgumentException("label selector operator " + r.getOperator());
                };
                if (!ok) return false;
            }
        }
        return true;
    }

    private static boolean matches(MatchResources match, AdmissionRequest request) {
        return match.getResourceRules().stream().anyMatch(rule -> matches(rule, request));
    }

    private static boolean matches(NamedRuleWithOperations rule, AdmissionRequest request) {
        return anyOf(rule.getApiGroups(), request.group())
                && anyOf(rule.getApiVersions(), request.version())
                && anyOf(rule.getResources(), request.resource())
                && anyOf(rule.getOperations(), request.operation())
                && (rule.getResourceNames() == null
                        || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(request.name()));
    }

    private static boolean anyOf(List<String> allowed, String value) {
        return allowed != null && (allowed.contains("*") || allowed.contains(value));
    }

    /** Refuses what this class would otherwise silently ignore. */
    private static ValidatingAdmissionPolicy checkSupported(ValidatingAdmissionPolicy policy) {
        var spec = policy.getSpec();
        String name = policy.getMetadata().getName();
        var match = spec.getMatchConstraints();
        if (match.getExcludeResourceRules() != null
                        && !match.getExcludeResourceRules().isEmpty()
                || notEmpty(match.getNamespaceSelector())
                || notEmpty(match.getObjectSelector())
                || spec.getAuditAnnotations() != null
                        && !spec.getAuditAnnotations().isEmpty()) {
            throw new UnsupportedOperationException(
                    name + " uses exclusions, selectors or audit annotations, which this evaluator does not implement");
        }
        for (var rule : match.getResourceRules()) {
            if (rule.getResources().stream().anyMatch(r -> r.contains("/"))) {
                throw new UnsupportedOperationException(name + ": subresource rules are not implemented");
            }
        }
        return policy;
    }

    private static boolean notEmpty(LabelSelector selector) {
        return selector != null
                && (selector.getMatchLabels() != null
                                && !selector.getMatchLabels().isEmpty()
                        || selector.getMatchExpressions() != null
                                && !selector.getMatchExpressions().isEmpty());
    }

    private static void compileAll(ValidatingAdmissionPolicy policy) {
        var spec = policy.getSpec();
        spec.getMatchConditions().forEach(c -> program(c.getExpression()));
        spec.getVariables().forEach(v -> program(v.getExpression()));
        for (var v : spec.getValidations()) {
            program(v.getExpression());
            if (v.getMessageExpression() != null) program(v.getMessageExpression());
        }
    }

    private static Object eval(String expression, Map<String, Object> vars) throws CelEvaluationException {
        return program(expression).eval(vars);
    }

    private static CelRuntime.Program program(String expression) {
        return PROGRAMS.computeIfAbsent(expression, e -> {
            try {
                return RUNTIME.createProgram(COMPILER.compile(e).getAst());
            } catch (CelValidationException | CelEvaluationException ex) {
                throw new IllegalArgumentException("CEL does not compile: " + e + "\n" + ex.getMessage(), ex);
            }
        });
    }

    private static Object orNull(Object value) {
        return value == null ? NullValue.NULL_VALUE : value;
    }
}
