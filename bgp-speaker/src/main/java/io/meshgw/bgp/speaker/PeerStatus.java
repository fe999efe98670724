package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.State;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one neighbor for the API, the CLI and metrics.
 *
 * @param attributeDrops how many received attributes the session dropped, by type, action and cause, since it was
 *     configured
 */
public record PeerStatus(
        String name,
        String address,
        long peerAsn,
        State state,
        Optional<Instant> establishedSince,
        long prefixesReceived,
        long prefixesAccepted,
        long prefixesAdvertised,
        long messagesReceived,
        long messagesSent,
        long flaps,
        Optional<String> lastError,
        Map<AttributeDrop, Long> attributeDrops) {

    public PeerStatus {
        attributeDrops = Map.copyOf(attributeDrops);
    }
}
