package io.meshgw.operator.crd;

import java.util.ArrayList;
import java.util.List;

public class LegacyServiceStatus extends ResourceStatus {
    public List<Route> routes = new ArrayList<>();

    public static class Route {
        public String prefix;
        public String nextHop;

        /** Namespace/name of the BgpPeer the route was learned from. */
        public String peer;

        public List<String> communities = new ArrayList<>();
    }
}
