package io.meshgw.bgp.policy;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What policy reads and rewrites of a route. The speaker maps its path attributes to this and
 * back, so policy stays independent of the wire format.
 *
 * @param prefix the destination
 * @param asPath the AS numbers of the AS_PATH in order (sets flattened)
 * @param communities RFC 1997 communities as unsigned 32-bit values
 * @param largeCommunities RFC 8092 large communities
 * @param localPref LOCAL_PREF, if present
 * @param med MULTI_EXIT_DISC, if present
 * @param locallyOriginated this speaker originated the route (it is the Loc-RIB's local entry), as opposed to
 *     learned from a neighbor, whatever its AS path looks like
 */
public record PolicyRoute(
        RoutePrefix prefix,
        List<Long> asPath,
        Set<Long> communities,
        Set<LargeCommunity> largeCommunities,
        OptionalLong localPref,
        OptionalLong med,
        boolean locallyOriginated) {

    /** A route learned from a neighbor. */
    public PolicyRoute(
            RoutePrefix prefix,
            List<Long> asPath,
            Set<Long> communities,
            Set<LargeCommunity> largeCommunities,
            OptionalLong localPref,
            OptionalLong med) {
        this(prefix, asPath, communities, largeCommunities, localPref, med, false);
    }

    public PolicyRoute {
        asPath = List.copyOf(asPath);
        communities = Set.copyOf(communities);
        largeCommunities = Set.copyOf(largeCommunities);
    }

    /** An RFC 8092 large community: global administrator and two local data parts. */
    public record LargeCommunity(long global, long local1, long local2) {
        @Override
        public String toString() {
            return global + ":" + local1 + ":" + local2;
        }
    }

    /** Parses {@code 65000:100} into the 32-bit community value. */
    public static long community(String text) {
        String[] p = text.split(":");
        if (p.length != 2) {
            throw new IllegalArgumentException("community '" + text + "' is not ASN:value");
        }
        long hi = Long.parseLong(p[0]);
        long lo = Long.parseLong(p[1]);
        if (hi > 0xFFFF || lo > 0xFFFF || hi < 0 || lo < 0) {
            throw new IllegalArgumentException("community '" + text + "' has a part outside 0..65535");
        }
        return hi << 16 | lo;
    }

    /** The AS path as the space-separated text AS-path regular expressions match against. */
    String asPathText() {
        StringBuilder sb = new StringBuilder();
        for (Long asn : asPath) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(asn);
        }
        return sb.toString();
    }
}
