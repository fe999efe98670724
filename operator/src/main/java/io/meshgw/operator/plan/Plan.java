package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one pass wants the engines to hold, and what each object's status should say. Immutable; the maps iterate
 * in a stable order (the planner's), so every adapter applies changes in the same order each time.
 *
 * @param peers BGP sessions by BgpPeer
 * @param announcements host routes for the datacenter peers, by prefix
 * @param translations ingress translations by exported Service (local and remote backends)
 * @param egressRules egress translations by EgressIdentity
 * @param exports what this cluster publishes to the mesh, by exported Service (local backends)
 * @param legacyNames LegacyServices as names, by LegacyService
 * @param outcomes every object's status
 * @param servesEgress whether this node translates the egress rules; false on a node whose gateway does not hold the
 *     Lease, which keeps the rules only to know the identities' pods and destinations and steer their packets to the
 *     node that serves them (or drop them while it is unknown) rather than send them with the pods' own addresses
 *     (see {@link #withEgressServedElsewhere})
 * @param gateways the cluster's gateway nodes and the one that serves egress: where a node that does not serve it
 *     steers its identities' packets, and whose steered packets a node accepts
 */
public record Plan(
        Map<ObjectKey, PeerConfig> peers,
        Map<IpPrefix, Announcement> announcements,
        Map<ObjectKey, Translation> translations,
        Map<ObjectKey, EgressRule> egressRules,
        Map<ObjectKey, ExportedService> exports,
        Map<ObjectKey, LegacyName> legacyNames,
        List<ObjectOutcome> outcomes,
        boolean servesEgress,
        GatewayNodes gateways) {

    public static final Plan EMPTY = new Plan(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of());

    /** A plan whose node translates its egress rules, as the planner makes it. */
    public Plan(
            Map<ObjectKey, PeerConfig> peers,
            Map<IpPrefix, Announcement> announcements,
            Map<ObjectKey, Translation> translations,
            Map<ObjectKey, EgressRule> egressRules,
            Map<ObjectKey, ExportedService> exports,
            Map<ObjectKey, LegacyName> legacyNames,
            List<ObjectOutcome> outcomes) {
        this(peers, announcements, translations, egressRules, exports, legacyNames, outcomes, true, GatewayNodes.NONE);
    }

    /**
     * The maps are held as {@link ChunkedMap}s (a ChunkedMap is taken as it is, any other map copied): the next pass's
     * plan shares what did not change with this one, and an adapter diffs two plans in the size of the change.
     */
    public Plan {
        peers = ChunkedMap.copyOf(peers);
        announcements = ChunkedMap.copyOf(announcements);
        translations = ChunkedMap.copyOf(translations);
        egressRules = ChunkedMap.copyOf(egressRules);
        exports = ChunkedMap.copyOf(exports);
        legacyNames = ChunkedMap.copyOf(legacyNames);
        outcomes = List.copyOf(outcomes);
        java.util.Objects.requireNonNull(gateways, "gateways");
    }

    /**
     * This plan as a drained node serves it ({@link GatewayNode#drained}): its VIP routes go, so the routers move new
     * and established flows to the other gateways (which pick the same backends), and the translations stay, for the
     * packets that still arrive while the withdrawal spreads. Egress addresses, served by the Lease holder alone, stay.
     */
    public Plan withoutVipRoutes() {
        var egressRoutes = ((ChunkedMap<IpPrefix, Announcement>) announcements).edit();
        var vipPrefixes = new java.util.HashSet<>(announcements.keySet());
        egressRules.values().forEach(r -> vipPrefixes.remove(r.source().hostPrefix()));
        if (vipPrefixes.isEmpty()) {
            return this;
        }
        vipPrefixes.forEach(egressRoutes::remove);
        return new Plan(
                peers,
                egressRoutes.build(),
                translations,
                egressRules,
                exports,
                legacyNames,
                outcomes,
                servesEgress,
                gateways);
    }

    /**
     * This plan as a replica that does not hold the Lease serves it on its node: ingress translations and VIP routes
     * stay, the routes of egress addresses go, and the egress rules stay, the same ones, with {@link #servesEgress}
     * false. An egress address is served by one node, the Lease holder's, because the replies to a translated flow
     * must come back to the node that holds its translation. The rules stay so that this node's datapath still knows
     * which pods and destinations each identity covers, and steers their packets to the Lease holder's node ({@link
     * #gateways}), or drops them while that is unknown, rather than sending them on with the pods' own addresses, past
     * the egress address legacy firewalls know them by.
     */
    public Plan withEgressServedElsewhere() {
        if (egressRules.isEmpty()) {
            return this;
        }
        var vipRoutes = ((ChunkedMap<IpPrefix, Announcement>) announcements).edit();
        egressRules.values().forEach(r -> vipRoutes.remove(r.source().hostPrefix()));
        return new Plan(
                peers, vipRoutes.build(), translations, egressRules, exports, legacyNames, outcomes, false, gateways);
    }

    /** This plan with the cluster's gateway nodes as this pass found them. */
    public Plan withGateways(GatewayNodes nodes) {
        if (nodes.equals(gateways)) {
            return this;
        }
        return new Plan(
                peers, announcements, translations, egressRules, exports, legacyNames, outcomes, servesEgress, nodes);
    }

    /** The egress rules this node translates: all of them, or none where another node serves them. */
    public java.util.stream.Stream<EgressRule> egressServedHere() {
        return servesEgress ? egressRules.values().stream() : java.util.stream.Stream.empty();
    }

    public Optional<ObjectOutcome> outcome(ResourceRef ref) {
        return outcomes.stream().filter(o -> o.ref().equals(ref)).findFirst();
    }
}
