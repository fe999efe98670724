package io.meshgw.operator.port;

import io.meshgw.operator.plan.Plan;

/** The tc datapath: the plan's translations and egress rules, written as one diff against the kernel's maps. */
public interface DatapathTarget {

    /** Makes the maps hold the plan's translations and egress rules; throws when the kernel refused a write. */
    void apply(Plan plan);
}
