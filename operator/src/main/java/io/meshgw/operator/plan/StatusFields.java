package io.meshgw.operator.plan;

import io.meshgw.operator.port.LearnedRoute;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kind-specific fields of a status, beside observedGeneration and conditions, as values; rendered as text. */
public sealed interface StatusFields {

    /** Kinds whose status is only observedGeneration and conditions. */
    record None() implements StatusFields {}

    /**
     * @param assignedVip empty when none is assigned
     * @param readyBackends distinct ready backend addresses by cluster, this cluster included
     */
    record Export(Optional<IpAddress> assignedVip, Map<ClusterId, Integer> readyBackends) implements StatusFields {
        public Export {
            readyBackends = Map.copyOf(readyBackends);
        }
    }

    /**
     * @param assignedSourceIp empty when none is assigned
     * @param servedBy the gateway replica that translates to the source and announces it (one at a time: the one
     *     that writes for the cluster); empty while nothing is translated
     */
    record Egress(Optional<IpAddress> assignedSourceIp, Optional<String> servedBy) implements StatusFields {
        /** Nothing translated: the address, if any, is held but served by no gateway. */
        public Egress(Optional<IpAddress> assignedSourceIp) {
            this(assignedSourceIp, Optional.empty());
        }
    }

    /** @param available addresses left, capped at Long.MAX_VALUE for large IPv6 pools */
    record Pool(long allocated, long available) implements StatusFields {}

    /**
     * @param session empty while the speaker has no session for the peer
     * @param nodes the nodes whose entries in {@code status.nodes} are kept (those that exist and are selected);
     *     empty where no node reports (standalone mode too)
     */
    record Peer(Optional<PeerSession> session, List<String> nodes) implements StatusFields {
        public Peer {
            nodes = List.copyOf(nodes);
        }

        /** No node's entry kept. */
        public Peer(Optional<PeerSession> session) {
            this(session, List.of());
        }
    }

    /**
     * A LegacyService's selected routes and what its name resolves to.
     *
     * @param addresses IPv4 first, each family ascending
     */
    record Routes(List<LearnedRoute> routes, List<IpAddress> addresses) implements StatusFields {
        public Routes {
            routes = List.copyOf(routes);
            addresses = List.copyOf(addresses);
        }
    }
}
