package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.State;
import java.time.Instant;
import java.util.Optional;

/** A snapshot of one neighbor for the API, the CLI and metrics. */
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
        Optional<String> lastError) {}
