package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class EgressIdentityStatus extends ResourceStatus {
    @JsonPropertyDescription("The source address (IPv4 or IPv6) the identity's pods leave with; kept across"
            + " restarts, from this field.")
    public String assignedSourceIp;

    /**
     * The gateway replica that translates to the source address and announces it: one at a time, the one that holds
     * the Lease. Empty while nothing is translated.
     */
    @JsonPropertyDescription("The gateway replica (node) that translates to the source address and announces it: the"
            + " one that holds the Lease. Empty while nothing is translated.")
    public String servedBy;
}
