package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class AddressPoolStatus extends ResourceStatus {
    @JsonPropertyDescription("How many of the pool's addresses are assigned (to exports or egress identities).")
    public Long allocated;

    @JsonPropertyDescription("How many of the pool's addresses are free to assign.")
    public Long available;
}
