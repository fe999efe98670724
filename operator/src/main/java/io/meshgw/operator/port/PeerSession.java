package io.meshgw.operator.port;

import java.time.Instant;

/**
 * The speaker's view of one session, for BgpPeer status.
 *
 * @param state RFC 4271 §8.2.2 FSM state name: Idle, Connect, Active, OpenSent, OpenConfirm, Established
 * @param establishedSince null unless Established
 * @param lastError null when none
 */
public record PeerSession(
        String state,
        Instant establishedSince,
        long receivedPrefixes,
        long acceptedPrefixes,
        long advertisedPrefixes,
        String lastError) {
    public static final String ESTABLISHED = "Established";

    public boolean established() {
        return ESTABLISHED.equals(state);
    }
}
