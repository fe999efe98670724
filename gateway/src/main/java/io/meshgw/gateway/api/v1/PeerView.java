package io.meshgw.gateway.api.v1;

import java.util.List;

/**
 * One BGP session, an element of {@code GET /api/v1/bgp/peers}.
 *
 * <p>The fields a BgpPeer's status also carries have its names and values (ApiCrdNamesTest holds them equal).
 *
 * @param peerAddress the router's address
 * @param sessionState the RFC 4271 §8.2.2 state, spelled as in a BgpPeer's status: {@code Idle}, {@code Connect},
 *     {@code Active}, {@code OpenSent}, {@code OpenConfirm}, {@code Established}
 * @param establishedSince ISO-8601 instant the session came up, null when it is not established
 * @param lastError why the session last went down, null if it never did
 * @param routeLeaks routes from the router that RFC 9234 Only-to-Customer identified as leaks and that were not used
 * @param droppedAttributes received path attributes the session dropped, per type, action and cause
 */
public record PeerView(
        String name,
        String peerAddress,
        long peerAsn,
        String sessionState,
        String establishedSince,
        long receivedPrefixes,
        long acceptedPrefixes,
        long advertisedPrefixes,
        long messagesReceived,
        long messagesSent,
        long flaps,
        String lastError,
        long routeLeaks,
        List<DroppedAttribute> droppedAttributes) {

    /**
     * How many received attributes of one type the session dropped one way for one cause.
     *
     * @param type the attribute type, 1..255
     * @param name the type's registered name, or its number
     * @param action {@code discard} (the route kept) or {@code treat-as-withdraw}
     * @param cause {@code malformed} or {@code screened}
     */
    public record DroppedAttribute(int type, String name, String action, String cause, long count) {}
}
