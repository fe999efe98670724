package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.meshgw.operator.crd.AddressPoolStatus;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.EgressIdentityStatus;
import io.meshgw.operator.crd.LegacyServiceStatus;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.model.Conditions;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.types.IpAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns an outcome into the status object of its kind, merging conditions so unchanged ones keep their time. */
final class StatusRenderer {
    private StatusRenderer() {}

    static ResourceStatus render(ObjectOutcome outcome, ResourceStatus current, Instant now) {
        var status = fields(outcome.fields());
        if (outcome.fields() instanceof StatusFields.Peer peer && status instanceof BgpPeerStatus peerStatus) {
            peerStatus.nodes = keptNodes(peer, current);
        }
        status.observedGeneration = outcome.generation();
        var conditions = current == null || current.conditions == null
                ? new ArrayList<io.fabric8.kubernetes.api.model.Condition>()
                : new ArrayList<>(current.conditions);
        for (var c : outcome.conditions()) {
            var condition = new ConditionBuilder()
                    .withType(c.type())
                    .withStatus(c.status())
                    .withReason(c.reason())
                    .withMessage(c.message())
                    .withObservedGeneration(outcome.generation())
                    .withLastTransitionTime(now.toString())
                    .build();
            conditions = new ArrayList<>(Conditions.merge(conditions, condition));
        }
        status.conditions = conditions;
        return status;
    }

    private static ResourceStatus fields(StatusFields fields) {
        return switch (fields) {
            case StatusFields.None none -> new ResourceStatus();
            case StatusFields.Export export -> {
                var status = new MeshServiceExportStatus();
                status.assignedVip = text(export.assignedVip());
                // By cluster name: what people read the list by.
                var byName = new TreeMap<String, Integer>();
                export.readyBackends().forEach((cluster, ready) -> byName.merge(cluster.name(), ready, Integer::sum));
                byName.forEach((cluster, ready) -> {
                    var backends = new MeshServiceExportStatus.ClusterBackends();
                    backends.cluster = cluster;
                    backends.readyBackends = ready;
                    status.clusters.add(backends);
                });
                yield status;
            }
            case StatusFields.Egress egress -> {
                var status = new EgressIdentityStatus();
                status.assignedSourceIp = text(egress.assignedSourceIp());
                status.servedBy = egress.servedBy().orElse(null);
                yield status;
            }
            case StatusFields.Pool pool -> {
                var status = new AddressPoolStatus();
                status.allocated = pool.allocated();
                status.available = pool.available();
                yield status;
            }
            case StatusFields.Peer peer -> {
                var status = new BgpPeerStatus();
                peer.session().ifPresent(session -> {
                    status.sessionState = session.state().name();
                    status.establishedSince =
                            session.establishedSince().map(Object::toString).orElse(null);
                    status.receivedPrefixes = session.receivedPrefixes();
                    status.acceptedPrefixes = session.acceptedPrefixes();
                    if (!session.acceptedPrefixesByFamily().isEmpty()) {
                        status.acceptedPrefixesByFamily =
                                new ArrayList<>(session.acceptedPrefixesByFamily().entrySet().stream()
                                        .sorted(Map.Entry.comparingByKey())
                                        .map(e -> {
                                            var row = new BgpPeerStatus.FamilyCount();
                                            row.family = e.getKey();
                                            row.count = e.getValue();
                                            return row;
                                        })
                                        .toList());
                    }
                    status.advertisedPrefixes = session.advertisedPrefixes();
                    status.lastError = session.lastError().orElse(null);
                    if (!session.droppedAttributes().isEmpty()) {
                        status.droppedAttributes = new ArrayList<>(session.droppedAttributes().stream()
                                .map(d -> {
                                    var row = new BgpPeerStatus.DroppedAttribute();
                                    row.type = d.type();
                                    row.name = d.name();
                                    row.action = d.action();
                                    row.cause = d.cause();
                                    row.count = d.count();
                                    return row;
                                })
                                .toList());
                    }
                });
                yield status;
            }
            case StatusFields.Routes routes -> {
                var status = new LegacyServiceStatus();
                for (var r : routes.routes()) {
                    var route = new LegacyServiceStatus.Route();
                    route.prefix = r.prefix().toString();
                    route.nextHop = text(r.nextHop());
                    route.peer = r.peer().toString();
                    route.communities = new ArrayList<>(
                            r.communities().stream().map(Object::toString).toList());
                    status.routes.add(route);
                }
                status.addresses = new ArrayList<>(
                        routes.addresses().stream().map(Object::toString).toList());
                yield status;
            }
        };
    }

    /**
     * The entries of {@code status.nodes} the plan keeps, as their nodes wrote them and in their order: each node
     * writes its own entry ({@link NodeStatusWriter}), so the Lease holder only removes entries, never rewrites one.
     */
    private static List<BgpPeerStatus.NodeSession> keptNodes(StatusFields.Peer peer, ResourceStatus current) {
        if (!(current instanceof BgpPeerStatus before) || before.nodes == null) return null;
        var kept = new ArrayList<>(before.nodes.stream()
                .filter(n -> n != null && peer.nodes().contains(n.node))
                .toList());
        return kept.isEmpty() ? null : kept;
    }

    /** An address as status writes it: canonical text, or no field at all. */
    private static String text(Optional<IpAddress> address) {
        return address.map(IpAddress::toString).orElse(null);
    }
}
