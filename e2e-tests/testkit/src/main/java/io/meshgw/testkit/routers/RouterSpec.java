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
 *     router that forwards test traffic needs (GoBGP never installs them)
 */
public record RouterSpec(
        String name,
        String routerId,
        long asn,
        List<BgpNeighbor> neighbors,
        List<String> originate,
        boolean kernelRoutes) {

    public RouterSpec {
        neighbors = List.copyOf(neighbors);
        originate = List.copyOf(originate);
    }

    /** A control-plane-only router: it learns and passes routes but does not forward. */
    public static RouterSpec of(
            String name, String routerId, long asn, List<BgpNeighbor> neighbors, List<String> originate) {
        return new RouterSpec(name, routerId, asn, neighbors, originate, false);
    }

    public RouterSpec withKernelRoutes() {
        return new RouterSpec(name, routerId, asn, neighbors, originate, true);
    }
}
