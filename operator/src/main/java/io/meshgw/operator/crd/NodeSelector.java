package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * Gateway nodes by their Node labels, read as a Kubernetes label selector (metav1.LabelSelector): every matchLabels
 * entry and every matchExpressions requirement must hold; an empty selector selects every node.
 */
public class NodeSelector {
    @JsonPropertyDescription("Labels a node must carry with exactly these values.")
    public Map<String, String> matchLabels;

    @JsonPropertyDescription("Requirements a node's labels must all meet.")
    @Size(max = Crds.MAX_RULE_LIST)
    public List<Requirement> matchExpressions;

    /** One requirement on a label. */
    @ValidationRule(
            value = "self.operator in ['In', 'NotIn'] ? has(self.values) && size(self.values) > 0"
                    + " : !has(self.values) || size(self.values) == 0",
            message = "values must not be empty for In and NotIn, and must be empty for Exists and DoesNotExist")
    public static class Requirement {
        @JsonPropertyDescription("The label key, e.g. topology.kubernetes.io/zone.")
        @Required
        @Size(min = 1, max = 317)
        public String key;

        @JsonPropertyDescription("In or NotIn (the label's value is, or is not, one of values), Exists or"
                + " DoesNotExist (the node has, or has not, the label).")
        @Required
        @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
        public String operator;

        @JsonPropertyDescription("The values for In and NotIn; empty for Exists and DoesNotExist.")
        @Size(max = Crds.MAX_RULE_LIST)
        public List<String> values;
    }
}
