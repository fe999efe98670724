package io.meshgw.operator.crd;

import java.util.ArrayList;
import java.util.List;

public class LegacyServiceStatus extends ResourceStatus {
    public List<Route> routes = new ArrayList<>();

    /**
     * What {@code <name>.<namespace>.svc.<cluster-domain>} resolves to: the spec's addresses a selected route covers
     * (or the selected host routes' addresses), sorted, IPv4 first.
     */
    public List<String> addresses = new ArrayList<>();

    public static class Route {
        public String prefix;
        public String nextHop;

        /** Namespace/name of the BgpPeer the route was learned from. */
        public String peer;

        public List<String> communities = new ArrayList<>();
    }
}
