package io.meshgw.testkit.routers;

import java.util.List;

/**
 * What a test router is: its identity, its neighbors and the IPv4 prefixes it originates.
 *
 * @param name a short name used for files and logs
 * @param routerId the BGP identifier (an IPv4 address)
 * @param asn the local AS number
 * @param neighbors the sessions to configure
 * @param originate prefixes (CIDR) announced to every neighbor
 * @param kernelRoutes whether learned routes are installed into the namespace's kernel table, as a
 *     router that forwards test traffic needs (GoBGP never installs them); equal routes from several
 *     neighbors are then installed as one ECMP route
 */
public record RouterSpec(
        String name,
        String routerId,
        long asn,
        List<BgpNeighbor> neighbors,
        List<String> originate,
        boolean kernelRoutes,
        RouteTags tags) {

    /**
     * Attributes attached to the originated routes.
     *
     * @param communities RFC 1997 communities as {@code asn:value}
     * @param largeCommunities RFC 8092 large communities as {@code global:local1:local2}
     * @param med MULTI_EXIT_DISC, or -1 for none
     */
    public record RouteTags(List<String> communities, List<String> largeCommunities, long med) {
        public static final RouteTags NONE = new RouteTags(List.of(), List.of(), -1);

        public RouteTags {
            communities = List.copyOf(communities);
            largeCommunities = List.copyOf(largeCommunities);
        }

        public boolean any() {
            return !communities.isEmpty() || !largeCommunities.isEmpty() || med >= 0;
        }
    }

    public RouterSpec {
        neighbors = List.copyOf(neighbors);
        originate = List.copyOf(originate);
    }

    /** IPv6 originated prefixes and neighbors are told apart by a colon. */
    static boolean v6(String addressOrPrefix) {
        return addressOrPrefix.contains(":");
    }

    public RouterSpec withTags(RouteTags t) {
        return new RouterSpec(name, routerId, asn, neighbors, originate, kernelRoutes, t);
    }

    /** A control-plane-only router: it learns and passes routes but does not forward. */
    public static RouterSpec of(
            String name, String routerId, long asn, List<BgpNeighbor> neighbors, List<String> originate) {
        return new RouterSpec(name, routerId, asn, neighbors, originate, false, RouteTags.NONE);
    }

    public RouterSpec withKernelRoutes() {
        return new RouterSpec(name, routerId, asn, neighbors, originate, true, tags);
    }
}
