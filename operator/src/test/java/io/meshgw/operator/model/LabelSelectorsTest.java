package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.NodeSelector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    static final Map<String, String> NODE = Map.of("rack", "r1", "zone", "a");

    static NodeSelector expression(String key, String operator, String... values) {
        var r = new NodeSelector.Requirement();
        r.key = key;
        r.operator = operator;
        r.values = values.length == 0 ? null : List.of(values);
        var s = new NodeSelector();
        s.matchExpressions = List.of(r);
        return s;
    }

    @Test
    void everyOperatorReadsAsTheApiServerReadsIt() {
        assertThat(LabelSelectors.matches(null, NODE)).isTrue();
        assertThat(LabelSelectors.matches(new NodeSelector(), NODE))
                .as("empty selects all")
                .isTrue();
        assertThat(LabelSelectors.matches(expression("rack", "In", "r1", "r2"), NODE))
                .isTrue();
        assertThat(LabelSelectors.matches(expression("rack", "In", "r2"), NODE)).isFalse();
        assertThat(LabelSelectors.matches(expression("rack", "NotIn", "r2"), NODE))
                .isTrue();
        assertThat(LabelSelectors.matches(expression("rack", "NotIn", "r1"), NODE))
                .isFalse();
        assertThat(LabelSelectors.matches(expression("gpu", "NotIn", "x"), NODE))
                .as("NotIn holds for a missing label")
                .isTrue();
        assertThat(LabelSelectors.matches(expression("zone", "Exists"), NODE)).isTrue();
        assertThat(LabelSelectors.matches(expression("gpu", "Exists"), NODE)).isFalse();
        assertThat(LabelSelectors.matches(expression("gpu", "DoesNotExist"), NODE))
                .isTrue();
        assertThat(LabelSelectors.matches(expression("zone", "DoesNotExist"), NODE))
                .isFalse();
        var both = expression("zone", "Exists");
        both.matchLabels = java.util.Map.of("rack", "r2");
        assertThat(LabelSelectors.matches(both, NODE))
                .as("matchLabels and expressions must all hold")
                .isFalse();
    }

    @Test
    void badRequirementsAreNamedByPath() {
        assertThat(LabelSelectors.validate("spec.nodeSelector", expression("rack", "Exists", "r1"))
                        .messages())
                .containsExactly("spec.nodeSelector.matchExpressions[0].values: must be empty for Exists");
        assertThat(LabelSelectors.validate("spec.nodeSelector", expression("rack", "Equals", "r1"))
                        .messages())
                .containsExactly("spec.nodeSelector.matchExpressions[0].operator: 'Equals' is not one of In, NotIn,"
                        + " Exists, DoesNotExist");
        assertThat(LabelSelectors.validate("spec.nodeSelector", expression("", "Exists"))
                        .messages())
                .containsExactly("spec.nodeSelector.matchExpressions[0].key: is required");
        assertThat(LabelSelectors.validate("spec.nodeSelector", expression("rack", "NotIn", "r1"))
                        .isValid())
                .isTrue();
    }
}
