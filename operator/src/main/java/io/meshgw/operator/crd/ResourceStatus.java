package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status fields every meshgw resource carries: the generation last acted on and standard conditions. */
public class ResourceStatus {
    @JsonPropertyDescription("The metadata.generation the operator last acted on.")
    public Long observedGeneration;

    @JsonPropertyDescription("Standard conditions: Ready (applied to the gateway), and for some kinds Conflict"
            + " (another object or cluster holds what this one asks for) and Degraded (applied, not doing its job"
            + " yet).")
    @SchemaFrom(type = ConditionSchema[].class)
    public List<Condition> conditions = new ArrayList<>();
}
