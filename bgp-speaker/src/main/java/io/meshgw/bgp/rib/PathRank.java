package io.meshgw.bgp.rib;

/**
 * The attributes of a path that the decision process compares, extracted once when the path
 * enters the RIB so that best-path selection never re-reads attributes.
 *
 * @param locallyOriginated a route this speaker originates (preferred over any learned one)
 * @param localPref LOCAL_PREF (the default, 100, applies where the attribute is absent)
 * @param asPathLength AS_PATH length as RFC 4271 §9.1.2.2 (a) counts it: an AS_SET counts 1,
 *     confederation segments count 0
 * @param origin ORIGIN: 0 IGP, 1 EGP, 2 INCOMPLETE
 * @param med MULTI_EXIT_DISC; an absent MED is 0, the lowest value (§9.1.2.2 (c))
 * @param neighborAs the first AS of the AS_PATH (the neighboring AS); 0 for local routes
 * @param ebgp learned over an external session
 * @param igpCost cost to the next hop (0 where no IGP is consulted)
 * @param routerId BGP identifier of the advertising speaker, unsigned
 * @param peerAddress the low 64 bits of the peer's address read as an unsigned number: an IPv4
 *     address in the low 32 bits, the last 8 bytes of an IPv6 address
 * @param peerAddressHigh the first 8 bytes of an IPv6 peer address as an unsigned number, 0 for
 *     IPv4; together the two compare as the address's bytes do, IPv4 first
 */
public record PathRank(
        boolean locallyOriginated,
        long localPref,
        int asPathLength,
        int origin,
        long med,
        long neighborAs,
        boolean ebgp,
        long igpCost,
        long routerId,
        long peerAddress,
        long peerAddressHigh) {

    public static final long DEFAULT_LOCAL_PREF = 100;

    public PathRank {
        if (origin < 0 || origin > 2) {
            throw new IllegalArgumentException("origin must be 0 (IGP), 1 (EGP) or 2 (INCOMPLETE), was " + origin);
        }
        if (asPathLength < 0) {
            throw new IllegalArgumentException("asPathLength must not be negative, was " + asPathLength);
        }
    }
}
