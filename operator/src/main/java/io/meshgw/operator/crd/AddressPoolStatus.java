package io.meshgw.operator.crd;

public class AddressPoolStatus extends ResourceStatus {
    public Long allocated;
    public Long available;
}
