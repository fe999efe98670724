package io.meshgw.operator.crd;

public class EgressIdentityStatus extends ResourceStatus {
    public String assignedSourceIp;
}
