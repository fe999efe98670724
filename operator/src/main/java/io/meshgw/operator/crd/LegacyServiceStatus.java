package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

public class LegacyServiceStatus extends ResourceStatus {
    @JsonPropertyDescription("The learned routes the selection selects, best path of each prefix.")
    public List<Route> routes = new ArrayList<>();

    /**
     * What {@code <name>.<namespace>.svc.<cluster-domain>} resolves to: the spec's addresses a selected route covers
     * (or the selected host routes' addresses), sorted, IPv4 first.
     */
    @JsonPropertyDescription("What <name>.<namespace>.svc.<cluster-domain> resolves to: the spec's addresses a"
            + " selected route covers (or the selected host routes' addresses), sorted, IPv4 first.")
    public List<String> addresses = new ArrayList<>();

    public static class Route {
        @JsonPropertyDescription("The route's prefix, address/length.")
        public String prefix;

        @JsonPropertyDescription("The route's next hop address.")
        public String nextHop;

        /** Namespace/name of the BgpPeer the route was learned from. */
        @JsonPropertyDescription("namespace/name of the BgpPeer the route was learned from.")
        public String peer;

        @JsonPropertyDescription("The route's RFC 1997 communities, asn:value.")
        public List<String> communities = new ArrayList<>();
    }
}
