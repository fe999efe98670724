package io.meshgw.gateway.api.v1;

/**
 * One BGP session, an element of {@code GET /api/v1/bgp/peers}.
 *
 * @param state the RFC 4271 §8.2.2 state in capitals: {@code IDLE}, {@code CONNECT}, {@code ACTIVE},
 *     {@code OPEN_SENT}, {@code OPEN_CONFIRM}, {@code ESTABLISHED}
 * @param establishedSince ISO-8601 instant the session came up, null when it is not established
 * @param lastError why the session last went down, null if it never did
 */
public record PeerView(
        String name,
        String address,
        long peerAsn,
        String state,
        String establishedSince,
        long prefixesReceived,
        long prefixesAccepted,
        long prefixesAdvertised,
        long messagesReceived,
        long messagesSent,
        long flaps,
        String lastError) {}
