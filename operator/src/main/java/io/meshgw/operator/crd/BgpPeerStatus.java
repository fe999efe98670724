package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public class BgpPeerStatus extends ResourceStatus {
    @JsonPropertyDescription(
            "RFC 4271 §8.2.2 state of the session: Idle, Connect, Active, OpenSent, OpenConfirm or" + " Established.")
    public String sessionState;

    @JsonPropertyDescription("RFC 3339 time the session last reached Established; absent while it is not.")
    public String establishedSince;

    @JsonPropertyDescription("Routes the router announced on the session and the gateway holds (Adj-RIB-In).")
    public Long receivedPrefixes;

    @JsonPropertyDescription("Received routes the import policy accepted.")
    public Long acceptedPrefixes;

    @JsonPropertyDescription("Routes the gateway announces to the router after the export policy.")
    public Long advertisedPrefixes;

    @JsonPropertyDescription("Why the session last went down (a NOTIFICATION sent or received, a transport error);"
            + " absent if it never did.")
    public String lastError;
}
