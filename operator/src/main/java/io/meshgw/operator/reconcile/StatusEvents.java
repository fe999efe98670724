package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.operator.crd.AddressPoolStatus;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentityStatus;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.model.Conditions;
import io.meshgw.operator.plan.ConditionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes Events a status change is worth to a platform engineer, read from the status an object had and the
 * one the operator writes: a session that reached or left Established, a VIP or source address allocated or released,
 * a pool that ran out, an export that became Ready or not, an egress address that moved to another gateway. A status
 * that changes nothing of that (prefix counts, condition messages) is worth none. An object of any kind refused for
 * its namespace ({@link ConditionState#NAMESPACE_NOT_ALLOWED}) gets a Warning saying why. Pure: {@link EventWriter}
 * writes.
 */
final class StatusEvents {
    static final String ESTABLISHED = "Established";

    /** One Event: Normal or Warning, a CamelCase reason, the action it reports and a note for people. */
    record ObjectEvent(Type type, String reason, String action, String note) {
        enum Type {
            Normal,
            Warning
        }
    }

    private StatusEvents() {}

    static List<ObjectEvent> between(HasMetadata object, ResourceStatus before, ResourceStatus after) {
        var out = new ArrayList<ObjectEvent>();
        switch (after) {
            case BgpPeerStatus peer -> session((BgpPeer) object, (BgpPeerStatus) before, peer, out);
            case MeshServiceExportStatus export -> {
                var was = (MeshServiceExportStatus) before;
                vip((MeshServiceExport) object, was, export, out);
                ready(was, export, out);
            }
            case EgressIdentityStatus egress ->
                egress((EgressIdentity) object, (EgressIdentityStatus) before, egress, out);
            case AddressPoolStatus pool -> exhausted(object, (AddressPoolStatus) before, pool, out);
            default -> {}
        }
        refused(before, after, out);
        return out;
    }

    private static void session(BgpPeer peer, BgpPeerStatus before, BgpPeerStatus after, List<ObjectEvent> out) {
        boolean was = before != null && ESTABLISHED.equals(before.sessionState);
        boolean is = ESTABLISHED.equals(after.sessionState);
        if (was == is) return;
        var spec = peer.getSpec();
        String session = "BGP session with " + spec.peerAddress + " (AS " + spec.peerAsn + ")";
        if (is) {
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Normal, "SessionEstablished", "Connect", session + " is Established"));
        } else {
            String now = after.sessionState == null ? "is no longer configured" : "is " + after.sessionState;
            String why = after.lastError == null ? "" : ": " + after.lastError;
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Warning,
                    "SessionDown",
                    "Disconnect",
                    session + " left Established and " + now + why));
        }
    }

    private static void vip(
            MeshServiceExport export,
            MeshServiceExportStatus before,
            MeshServiceExportStatus after,
            List<ObjectEvent> out) {
        String was = before == null ? null : before.assignedVip;
        if (Objects.equals(was, after.assignedVip)) return;
        if (was != null) {
            out.add(new ObjectEvent(ObjectEvent.Type.Normal, "VipReleased", "Release", "VIP " + was + " released"));
        }
        if (after.assignedVip != null) {
            var legacy = export.getSpec() == null ? null : export.getSpec().legacy;
            String pool = legacy == null ? "" : " from LegacyVipPool " + legacy.poolRef;
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Normal,
                    "VipAllocated",
                    "Allocate",
                    "VIP " + after.assignedVip + " allocated" + pool));
        }
    }

    private static void ready(MeshServiceExportStatus before, MeshServiceExportStatus after, List<ObjectEvent> out) {
        var was = readyCondition(before).map(Condition::getStatus).orElse(Conditions.UNKNOWN);
        var now = readyCondition(after);
        if (now.isEmpty() || now.get().getStatus().equals(was)) return;
        var ready = now.get();
        if (Conditions.TRUE.equals(ready.getStatus())) {
            out.add(new ObjectEvent(ObjectEvent.Type.Normal, "ExportReady", "Export", "Ready: " + ready.getMessage()));
        } else {
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Warning,
                    "ExportNotReady",
                    "Export",
                    "not Ready (" + ready.getReason() + "): " + ready.getMessage()));
        }
    }

    private static void egress(
            EgressIdentity identity, EgressIdentityStatus before, EgressIdentityStatus after, List<ObjectEvent> out) {
        String wasSource = before == null ? null : before.assignedSourceIp;
        if (!Objects.equals(wasSource, after.assignedSourceIp)) {
            if (wasSource != null) {
                out.add(new ObjectEvent(
                        ObjectEvent.Type.Normal,
                        "SourceReleased",
                        "Release",
                        "source address " + wasSource + " released"));
            }
            if (after.assignedSourceIp != null) {
                String pool = identity.getSpec() == null || identity.getSpec().poolRef == null
                        ? ""
                        : " from EgressIpPool " + identity.getSpec().poolRef;
                out.add(new ObjectEvent(
                        ObjectEvent.Type.Normal,
                        "SourceAllocated",
                        "Allocate",
                        "source address " + after.assignedSourceIp + " allocated" + pool));
            }
        }
        String wasServed = before == null ? null : before.servedBy;
        if (Objects.equals(wasServed, after.servedBy)) return;
        String source = after.assignedSourceIp != null ? after.assignedSourceIp : wasSource;
        if (after.servedBy != null) {
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Normal,
                    "EgressMoved",
                    "Serve",
                    "source address " + source + " is translated and announced by gateway " + after.servedBy
                            + (wasServed == null ? "" : " (was " + wasServed + ")")));
        } else {
            out.add(new ObjectEvent(
                    ObjectEvent.Type.Warning,
                    "EgressNotServed",
                    "Serve",
                    "source address " + source + " is no longer translated by any gateway (was " + wasServed + ")"));
        }
    }

    private static void exhausted(
            HasMetadata pool, AddressPoolStatus before, AddressPoolStatus after, List<ObjectEvent> out) {
        boolean is = after.available != null && after.available == 0 && after.allocated != null && after.allocated > 0;
        boolean was = before != null && before.available != null && before.available == 0;
        if (!is || was) return;
        out.add(new ObjectEvent(
                ObjectEvent.Type.Warning,
                "PoolExhausted",
                "Allocate",
                "all " + after.allocated + " addresses of " + pool.getKind() + " "
                        + pool.getMetadata().getName()
                        + " are allocated; the next object that asks for one is not Ready (PoolExhausted)"));
    }

    private static void refused(ResourceStatus before, ResourceStatus after, List<ObjectEvent> out) {
        var now = readyCondition(after).filter(c -> ConditionState.NAMESPACE_NOT_ALLOWED.equals(c.getReason()));
        if (now.isEmpty()) return;
        var was = readyCondition(before);
        if (was.isPresent()
                && ConditionState.NAMESPACE_NOT_ALLOWED.equals(was.get().getReason())) return;
        out.add(new ObjectEvent(
                ObjectEvent.Type.Warning,
                ConditionState.NAMESPACE_NOT_ALLOWED,
                "Refuse",
                now.get().getMessage()));
    }

    private static Optional<Condition> readyCondition(ResourceStatus status) {
        return status == null || status.conditions == null
                ? Optional.empty()
                : Conditions.find(status.conditions, ConditionState.READY);
    }
}
