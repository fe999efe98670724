package io.meshgw.operator.port;

import io.meshgw.operator.crd.AddressFamily;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The speaker's view of one session, for BgpPeer status.
 *
 * @param establishedSince set while Established
 * @param droppedAttributes received path attributes the session dropped, one entry per type, action and cause
 * @param acceptedPrefixesByFamily the accepted routes of each family of the session, as its prefix limits count them
 * @param familiesWithoutNextHop the session's families it announces nothing in for want of a next hop, each with why
 */
public record PeerSession(
        State state,
        Optional<Instant> establishedSince,
        long receivedPrefixes,
        long acceptedPrefixes,
        long advertisedPrefixes,
        Optional<String> lastError,
        List<DroppedAttribute> droppedAttributes,
        Map<AddressFamily, Long> acceptedPrefixesByFamily,
        Map<AddressFamily, String> familiesWithoutNextHop) {

    public PeerSession {
        droppedAttributes = List.copyOf(droppedAttributes);
        acceptedPrefixesByFamily = Map.copyOf(acceptedPrefixesByFamily);
        familiesWithoutNextHop = Map.copyOf(familiesWithoutNextHop);
    }

    /** A session with its counters alone: nothing dropped, no count per family, a next hop in every family. */
    public PeerSession(
            State state,
            Optional<Instant> establishedSince,
            long receivedPrefixes,
            long acceptedPrefixes,
            long advertisedPrefixes,
            Optional<String> lastError) {
        this(
                state,
                establishedSince,
                receivedPrefixes,
                acceptedPrefixes,
                advertisedPrefixes,
                lastError,
                List.of(),
                Map.of(),
                Map.of());
    }

    /** This session with the routes it accepted counted per family. */
    public PeerSession withAcceptedPrefixesByFamily(Map<AddressFamily, Long> byFamily) {
        return new PeerSession(
                state,
                establishedSince,
                receivedPrefixes,
                acceptedPrefixes,
                advertisedPrefixes,
                lastError,
                droppedAttributes,
                byFamily,
                familiesWithoutNextHop);
    }

    /**
     * How many attributes of one type the session dropped one way for one cause.
     *
     * @param type the attribute type, 1..255
     * @param name the type's registered name, or its number
     * @param action {@code discard} (the route kept) or {@code treat-as-withdraw}
     * @param cause {@code malformed} (broke its RFC's format) or {@code screened} (spec.pathAttributes, or not relayed
     *     by default)
     */
    public record DroppedAttribute(int type, String name, String action, String cause, long count) {}

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
