package io.meshgw.operator.crd;

public class BgpPeerStatus extends ResourceStatus {
    /** RFC 4271 §8.2.2 FSM state: Idle, Connect, Active, OpenSent, OpenConfirm, Established. */
    public String sessionState;

    /** RFC 3339 time the session last reached Established. */
    public String establishedSince;

    public Long receivedPrefixes;
    public Long acceptedPrefixes;
    public Long advertisedPrefixes;
    public String lastError;
}
