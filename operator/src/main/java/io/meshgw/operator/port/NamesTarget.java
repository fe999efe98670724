package io.meshgw.operator.port;

import io.meshgw.operator.plan.Plan;

/** Where LegacyService names are served from in standalone mode (the gateway's DNS server). */
public interface NamesTarget {

    /** Serves the plan's LegacyService names. */
    void apply(Plan plan);

    NamesTarget NONE = plan -> {};
}
