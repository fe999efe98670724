package io.meshgw.operator.crd;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Status fields every meshgw resource carries: the generation last acted on and standard conditions. */
public class ResourceStatus {
    public Long observedGeneration;
    public List<Condition> conditions = new ArrayList<>();
}
