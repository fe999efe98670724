package io.meshgw.operator.port;

import java.util.List;

/**
 * A host route the gateway announces to every datacenter peer: a legacy VIP or an egress source address.
 *
 * @param prefix host prefix, {@code 192.0.2.10/32} or {@code 2001:db8::a/128}
 * @param communities RFC 1997 communities, {@code asn:value}
 * @param owner the object the route is announced for
 */
public record Announcement(String prefix, List<String> communities, ResourceRef owner) {
    public Announcement {
        communities = List.copyOf(communities);
    }
}
