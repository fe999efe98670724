package io.meshgw.operator.desired;

import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.PeerSession;
import java.util.List;
import java.util.Map;

/** The kind-specific fields of a status, beside observedGeneration and conditions. */
public sealed interface StatusFields {

    /** Kinds whose status is only observedGeneration and conditions. */
    record None() implements StatusFields {}

    /**
     * @param assignedVip null when none is assigned
     * @param readyBackends ready backends by cluster name, this cluster included
     */
    record Export(String assignedVip, Map<String, Integer> readyBackends) implements StatusFields {
        public Export {
            readyBackends = Map.copyOf(readyBackends);
        }
    }

    record Egress(String assignedSourceIp) implements StatusFields {}

    /** @param available addresses left, capped at Long.MAX_VALUE for large IPv6 pools */
    record Pool(long allocated, long available) implements StatusFields {}

    /** @param session null when the speaker has no session for the peer */
    record Peer(PeerSession session) implements StatusFields {}

    /**
     * A LegacyService's selected routes and what its name resolves to.
     *
     * @param addresses canonical, IPv4 first, each family ascending
     */
    record Routes(List<LearnedRoute> routes, List<String> addresses) implements StatusFields {
        public Routes {
            routes = List.copyOf(routes);
            addresses = List.copyOf(addresses);
        }
    }
}
