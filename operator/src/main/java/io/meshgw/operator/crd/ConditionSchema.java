package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The schema of a status condition, with the descriptions {@code kubectl explain} prints; the operator writes the
 * fabric8 {@code Condition} (metav1.Condition), whose model carries none. Only the CRD generator reads this class
 * ({@code @SchemaFrom} on {@link ResourceStatus#conditions}); its fields are those of metav1.Condition.
 */
final class ConditionSchema {
    @JsonPropertyDescription("Ready, Conflict or Degraded; each type appears at most once.")
    public String type;

    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription(
            "Why the condition has its status, one CamelCase word (Invalid, PoolExhausted, SessionDown, ...).")
    public String reason;

    @JsonPropertyDescription("What happened, for people: names the field and the rule when the object is invalid.")
    public String message;

    @JsonPropertyDescription("RFC 3339 time the status last changed; kept while the status stays the same.")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was computed from.")
    public Long observedGeneration;

    private ConditionSchema() {}
}
