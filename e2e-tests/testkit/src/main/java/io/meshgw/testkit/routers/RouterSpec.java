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
 */
public record RouterSpec(String name, String routerId, long asn, List<BgpNeighbor> neighbors, List<String> originate) {

    public RouterSpec {
        neighbors = List.copyOf(neighbors);
        originate = List.copyOf(originate);
    }
}
