package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    static final Map<String, String> NODE = Map.of("rack", "r1", "zone", "a");

    static LabelSelector expression(String key, String operator, String... values) {
        return new LabelSelectorBuilder()
                .addNewMatchExpression()
                .withKey(key)
                .withOperator(operator)
                .withValues(values)
                .endMatchExpression()
                .build();
    }

    @Test
    void everyOperatorReadsAsTheApiServerReadsIt() {
        assertThat(LabelSelectors.matches(null, NODE)).isTrue();
        assertThat(LabelSelectors.matches(new LabelSelector(), NODE))
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
        var both = new LabelSelectorBuilder(expression("zone", "Exists"))
                .addToMatchLabels("rack", "r2")
                .build();
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
