package io.meshgw.operator.plan;

import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpPrefix;
import java.util.List;

/**
 * A host route the gateway announces to its datacenter peers: a legacy VIP or an egress source address.
 *
 * @param prefix a /32 or /128
 * @param communities RFC 1997 communities attached to it
 * @param owner the object the route is announced for
 */
public record Announcement(IpPrefix prefix, List<Community> communities, ResourceRef owner) {
    public Announcement {
        if (!prefix.host()) {
            throw new IllegalArgumentException(owner + ": announces " + prefix + ", which is not a host route");
        }
        communities = List.copyOf(communities);
    }
}
