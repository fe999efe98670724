package io.meshgw.operator.crd;

public class EgressIdentityStatus extends ResourceStatus {
    public String assignedSourceIp;

    /**
     * The gateway replica that translates to the source address and announces it: one at a time, the one that holds
     * the Lease. Empty while nothing is translated.
     */
    public String servedBy;
}
