package io.meshgw.bgp.rib;

/**
 * One peer's path to a destination as held in the Loc-RIB.
 *
 * @param peer the index of the peer it came from ({@link LocRib#LOCAL} for originated routes)
 * @param attributes the shared (interned) path attributes
 * @param rank what the decision process compares
 * @param stale kept from a restarting peer under graceful restart (RFC 4724 §4.2) until it
 *     re-advertises the route or sends End-of-RIB
 */
public record Path<A>(int peer, A attributes, PathRank rank, boolean stale) implements RankedPath {

    Path<A> asStale() {
        return new Path<>(peer, attributes, rank, true);
    }
}
