package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** MP-BGP address families meshgw speaks (AFI/SAFI 1/1 and 2/1). */
public enum AddressFamily {
    @JsonProperty("ipv4-unicast")
    IPV4_UNICAST,
    @JsonProperty("ipv6-unicast")
    IPV6_UNICAST
}
