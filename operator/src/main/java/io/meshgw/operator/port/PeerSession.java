package io.meshgw.operator.port;

import java.time.Instant;
import java.util.Optional;

/**
 * The speaker's view of one session, for BgpPeer status.
 *
 * @param establishedSince set while Established
 */
public record PeerSession(
        State state,
        Optional<Instant> establishedSince,
        long receivedPrefixes,
        long acceptedPrefixes,
        long advertisedPrefixes,
        Optional<String> lastError) {

    /** RFC 4271 §8.2.2 FSM states, named as BgpPeer status shows them. */
    public enum State {
        Idle,
        Connect,
        Active,
        OpenSent,
        OpenConfirm,
        Established
    }

    public boolean established() {
        return state == State.Established;
    }
}
