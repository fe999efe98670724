package io.meshgw.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} of one CRD version's schema, compiled and evaluated the way the API server does
 * for the parts meshgw's CRDs use: each rule sees {@code self}, the value of the field it is declared on, with the
 * standard CEL library and macros, the Kubernetes strings extension and its IP and CIDR functions
 * ({@link KubernetesCelNetwork}); a false rule is a violation at the rule's field (and its {@code fieldPath}) with its
 * {@code messageExpression}, {@code message} or the rule's text, and a rule that fails to evaluate is a violation too.
 *
 * <p>Like the API server, which type-checks {@code self} against the schema, a rule that names a field the schema does
 * not declare ({@code self.holdTime} where the field is {@code holdTimeSeconds}) is refused when the CRD is read, as is
 * one that does not compile. Transition rules ({@code oldSelf}) are not implemented: a rule using one does not
 * compile here.
 */
final class SchemaRules {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addFunctionDeclarations(KubernetesCelNetwork.declarations())
            .addLibraries(CelExtensions.strings())
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(KubernetesCelNetwork.bindings())
            .addLibraries(CelExtensions.strings())
            .build();

    /** One rule, compiled, and where it was declared. */
    record Compiled(String path, ValidationRule rule, CelRuntime.Program program, CelRuntime.Program message) {}

    /** A rule of a CRD that the API server would refuse; names the CRD and the field. */
    static final class InvalidRuleException extends RuntimeException {
        InvalidRuleException(String crd, String path, String rule, String why) {
            super(crd + ": the rule at " + (path.isEmpty() ? "the root" : path) + " '" + rule + "' " + why);
        }
    }

    private final Map<JSONSchemaProps, List<Compiled>> bySchema = new IdentityHashMap<>();

    /** Compiles every rule under {@code root}, the openAPIV3Schema of {@code crd}. */
    SchemaRules(String crd, JSONSchemaProps root) {
        collect(crd, root, "", true);
    }

    /** Every rule, in schema order. */
    List<Compiled> all() {
        List<Compiled> out = new ArrayList<>();
        bySchema.values().forEach(out::addAll);
        return out;
    }

    /** The violations of the rules declared on {@code schema}, evaluated with {@code self} = {@code value}. */
    List<CrdSchemaValidator.Violation> evaluate(JSONSchemaProps schema, JsonNode value, String path) {
        var rules = bySchema.get(schema);
        if (rules == null) return List.of();
        Object self = celValue(value);
        List<CrdSchemaValidator.Violation> out = new ArrayList<>();
        for (Compiled c : rules) {
            String at = path + (c.rule().getFieldPath() == null ? "" : c.rule().getFieldPath());
            try {
                Object result = c.program().eval(Map.of("self", self));
                if (!(result instanceof Boolean ok)) {
                    out.add(new CrdSchemaValidator.Violation(
                            at, "rule '" + c.rule().getRule() + "' is no bool"));
                } else if (!ok) {
                    out.add(new CrdSchemaValidator.Violation(at, message(c, self)));
                }
            } catch (CelEvaluationException e) {
                out.add(new CrdSchemaValidator.Violation(
                        at, "rule '" + c.rule().getRule() + "' failed to evaluate: " + e.getMessage()));
            }
        }
        return out;
    }

    private static String message(Compiled c, Object self) {
        if (c.message() != null) {
            try {
                if (c.message().eval(Map.of("self", self)) instanceof String s && !s.isBlank()) return s;
            } catch (CelEvaluationException e) {
                // the API server falls back to message, as here
            }
        }
        String message = c.rule().getMessage();
        return message == null || message.isBlank() ? "failed rule: " + c.rule().getRule() : message;
    }

    private void collect(String crd, JSONSchemaProps schema, String path, boolean root) {
        var rules = schema.getXKubernetesValidations();
        if (rules != null && !rules.isEmpty()) {
            List<Compiled> compiled = new ArrayList<>();
            for (ValidationRule rule : rules) {
                if (rule.getMessage() == null && rule.getMessageExpression() == null) {
                    throw new InvalidRuleException(crd, path, rule.getRule(), "has no message");
                }
                var ast = compile(crd, path, rule.getRule());
                checkFields(crd, path, rule.getRule(), ast.getExpr(), schema, root);
                var message = rule.getMessageExpression() == null
                        ? null
                        : program(crd, path, compile(crd, path, rule.getMessageExpression()));
                compiled.add(new Compiled(path, rule, program(crd, path, ast), message));
            }
            bySchema.put(schema, compiled);
        }
        if (schema.getProperties() != null) {
            for (var e : schema.getProperties().entrySet()) {
                collect(crd, e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), false);
            }
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            collect(crd, schema.getItems().getSchema(), path + "[]", false);
        }
        if (schema.getAdditionalProperties() != null
                && schema.getAdditionalProperties().getSchema() != null) {
            collect(crd, schema.getAdditionalProperties().getSchema(), path + "{}", false);
        }
    }

    private static CelAbstractSyntaxTree compile(String crd, String path, String expression) {
        try {
            return COMPILER.compile(expression).getAst();
        } catch (CelValidationException e) {
            throw new InvalidRuleException(crd, path, expression, "does not compile: " + e.getMessage());
        }
    }

    private static CelRuntime.Program program(String crd, String path, CelAbstractSyntaxTree ast) {
        try {
            return RUNTIME.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new InvalidRuleException(crd, path, "", "cannot be planned: " + e.getMessage());
        }
    }

    /**
     * Every chain of field selections on {@code self} ({@code self.a.b}, also inside {@code has()}) must follow the
     * schema's properties. At the root, {@code self.metadata.name} and {@code generateName} are the API server's.
     */
    private static void checkFields(
            String crd, String path, String rule, CelExpr expr, JSONSchemaProps schema, boolean root) {
        switch (expr.getKind()) {
            case SELECT -> {
                List<String> fields = new ArrayList<>();
                CelExpr operand = expr;
                while (operand.getKind() == CelExpr.ExprKind.Kind.SELECT) {
                    fields.addFirst(operand.select().field());
                    operand = operand.select().operand();
                }
                if (operand.getKind() == CelExpr.ExprKind.Kind.IDENT
                        && operand.ident().name().equals("self")) {
                    resolve(crd, path, rule, fields, schema, root);
                } else {
                    checkFields(crd, path, rule, operand, schema, root);
                }
            }
            case CALL -> {
                expr.call().target().ifPresent(t -> checkFields(crd, path, rule, t, schema, root));
                expr.call().args().forEach(a -> checkFields(crd, path, rule, a, schema, root));
            }
            case COMPREHENSION -> {
                var c = expr.comprehension();
                for (CelExpr part : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                    checkFields(crd, path, rule, part, schema, root);
                }
            }
            case LIST -> expr.list().elements().forEach(e -> checkFields(crd, path, rule, e, schema, root));
            default -> {}
        }
    }

    private static void resolve(
            String crd, String path, String rule, List<String> fields, JSONSchemaProps schema, boolean root) {
        JSONSchemaProps at = schema;
        for (int i = 0; i < fields.size(); i++) {
            String field = fields.get(i);
            if (root && i == 0 && field.equals("metadata")) {
                if (fields.size() > 1 && !List.of("name", "generateName").contains(fields.get(1))) {
                    throw new InvalidRuleException(
                            crd,
                            path,
                            rule,
                            "reads metadata." + fields.get(1)
                                    + ", but rules see only metadata.name and metadata.generateName");
                }
                return;
            }
            var properties = at.getProperties() == null ? Map.<String, JSONSchemaProps>of() : at.getProperties();
            JSONSchemaProps next = properties.get(field);
            if (next == null) {
                if (at.getAdditionalProperties() != null) return;
                throw new InvalidRuleException(
                        crd,
                        path,
                        rule,
                        "reads self." + String.join(".", fields.subList(0, i + 1))
                                + ", which the schema does not declare");
            }
            at = next;
        }
    }

    /** JSON as CEL sees it: objects are maps, integers int, other numbers double. */
    static Object celValue(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                node.properties().forEach(e -> map.put(e.getKey(), celValue(e.getValue())));
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                node.forEach(e -> list.add(celValue(e)));
                yield list;
            }
            case STRING -> node.asText();
            case BOOLEAN -> node.asBoolean();
            case NUMBER -> node.isIntegralNumber() ? (Object) node.asLong() : (Object) node.asDouble();
            default -> NullValue.NULL_VALUE;
        };
    }
}
