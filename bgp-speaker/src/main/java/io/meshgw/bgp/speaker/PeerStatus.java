package io.meshgw.bgp.speaker;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.wire.Afi;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A snapshot of one neighbor for the API, the CLI and metrics.
 *
 * @param prefixesAcceptedByFamily the accepted routes of each family the neighbor is configured for, as its prefix
 *     limits count them
 * @param routeLeaks routes the neighbor sent that RFC 9234 §5 identified as leaks (by the Only-to-Customer attribute
 *     and its role) and that were not used, since it was added
 * @param attributeDrops how many received attributes the session dropped, by type, action and cause, since it was
 *     configured
 * @param refreshRequests ROUTE-REFRESH requests the neighbor sent (RFC 2918), since it was configured
 * @param refreshWalks the walks of the table that served them: fewer when requests arrive faster than one walk a
 *     second or while the neighbor does not read, as those are coalesced
 * @param familiesWithoutNextHop the families the session carries but announces nothing in, as it has no next hop of
 *     theirs (an IPv6 route over an IPv4 session without a global IPv6 address, say), each with why; empty while the
 *     session is down
 */
public record PeerStatus(
        String name,
        String address,
        long peerAsn,
        State state,
        Optional<Instant> establishedSince,
        long prefixesReceived,
        long prefixesAccepted,
        Map<Afi, Long> prefixesAcceptedByFamily,
        long prefixesAdvertised,
        long messagesReceived,
        long messagesSent,
        long flaps,
        Optional<String> lastError,
        long routeLeaks,
        Map<AttributeDrop, Long> attributeDrops,
        long refreshRequests,
        long refreshWalks,
        Map<Afi, String> familiesWithoutNextHop) {

    public PeerStatus {
        prefixesAcceptedByFamily = Map.copyOf(prefixesAcceptedByFamily);
        attributeDrops = Map.copyOf(attributeDrops);
        familiesWithoutNextHop = Map.copyOf(familiesWithoutNextHop);
    }

    /** This status with the session's families that lack a next hop. */
    PeerStatus withFamiliesWithoutNextHop(Map<Afi, String> families) {
        return new PeerStatus(
                name,
                address,
                peerAsn,
                state,
                establishedSince,
                prefixesReceived,
                prefixesAccepted,
                prefixesAcceptedByFamily,
                prefixesAdvertised,
                messagesReceived,
                messagesSent,
                flaps,
                lastError,
                routeLeaks,
                attributeDrops,
                refreshRequests,
                refreshWalks,
                families);
    }
}
