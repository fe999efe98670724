package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The gateway's RFC 9234 role on an eBGP session, named as routers configure it ("local-role"). */
public enum SessionRole {
    /** The gateway is the router's transit provider. */
    @JsonProperty("provider")
    PROVIDER,
    /** The gateway is the router's customer: the usual role toward a datacenter's routers. */
    @JsonProperty("customer")
    CUSTOMER,
    /** Lateral peers. */
    @JsonProperty("peer")
    PEER,
    /** The gateway is a route server, the router its client. */
    @JsonProperty("rs-server")
    RS_SERVER,
    /** The router is a route server, the gateway its client. */
    @JsonProperty("rs-client")
    RS_CLIENT
}
