package io.meshgw.operator.reconcile;

import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.DesiredStateModel;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the desired state of a snapshot and applies its difference from what the ports hold, for the operator's
 * passes and for the gateway's standalone mode alike. The order matters: routes are withdrawn before the state behind
 * them goes, and that state exists before its routes are announced, so routers never send traffic the datapath would
 * drop.
 *
 * <p>Each port call is logged with the object it is for; a failed call stops the pass with an
 * {@link IllegalStateException} naming that object. Nothing is rolled back: the next pass diffs again.
 */
public final class PortApplier {
    private static final Logger LOG = LoggerFactory.getLogger(PortApplier.class);
    private static final String EXPORT = "MeshServiceExport";
    private static final String PEER = "BgpPeer";
    private static final String EGRESS = "EgressIdentity";

    private final GatewayPorts ports;

    public PortApplier(GatewayPorts ports) {
        this.ports = ports;
    }

    /** @return the desired state applied, with each object's outcome (conditions and status fields) */
    public DesiredState apply(Snapshot snapshot) {
        var desired = DesiredStateModel.compute(snapshot);
        withdrawStaleAnnouncements(desired);
        removeStaleTranslations(desired);
        removeStaleEgressRules(desired);
        unpublishStaleExports(desired);
        removeStalePeers(desired);
        applyTranslations(desired);
        applyEgressRules(desired);
        announce(desired);
        // Sessions after the announcements: a new session gets the whole table and then
        // End-of-RIB at once, so on a restarted gateway's first pass a graceful-restart helper
        // must see our routes before End-of-RIB, or it sweeps them as stale (RFC 4724 §4.2).
        applyPeers(desired);
        publishExports(desired);
        return desired;
    }

    private void withdrawStaleAnnouncements(DesiredState desired) {
        var actual = ports.bgp().announcements();
        for (var prefix : PortDiff.of(desired.announcements(), actual).removed()) {
            call(
                    actual.get(prefix).owner(),
                    "withdraw " + prefix,
                    () -> ports.bgp().withdraw(prefix));
        }
    }

    private void removeStaleTranslations(DesiredState desired) {
        for (var key : PortDiff.of(desired.translations(), ports.datapath().translations())
                .removed()) {
            call(
                    ref(EXPORT, key),
                    "remove ingress translation",
                    () -> ports.datapath().removeTranslation(key));
        }
    }

    private void removeStaleEgressRules(DesiredState desired) {
        for (var key : PortDiff.of(desired.egressRules(), ports.datapath().egressRules())
                .removed()) {
            call(ref(EGRESS, key), "remove egress rule", () -> ports.datapath().removeEgress(key));
        }
    }

    private void unpublishStaleExports(DesiredState desired) {
        for (var key : PortDiff.of(desired.exports(), ports.mesh().published()).removed()) {
            call(ref(EXPORT, key), "unpublish from the mesh", () -> ports.mesh().unpublish(key));
        }
    }

    private void removeStalePeers(DesiredState desired) {
        for (var key : PortDiff.of(desired.peers(), ports.bgp().appliedPeers()).removed()) {
            call(ref(PEER, key), "remove session", () -> ports.bgp().removePeer(key));
        }
    }

    private void applyPeers(DesiredState desired) {
        for (var peer : PortDiff.of(desired.peers(), ports.bgp().appliedPeers()).applied()) {
            call(
                    ref(PEER, peer.peer()),
                    "apply session " + peer,
                    () -> ports.bgp().applyPeer(peer));
        }
    }

    private void applyTranslations(DesiredState desired) {
        for (var t : PortDiff.of(desired.translations(), ports.datapath().translations())
                .applied()) {
            call(
                    ref(EXPORT, t.service()),
                    "apply ingress translation for VIP " + t.vip() + " ("
                            + t.ports().size() + " ports)",
                    () -> ports.datapath().applyTranslation(t));
        }
    }

    private void applyEgressRules(DesiredState desired) {
        for (var rule : PortDiff.of(desired.egressRules(), ports.datapath().egressRules())
                .applied()) {
            call(
                    ref(EGRESS, rule.identity()),
                    "apply egress rule with source " + rule.sourceIp() + " for "
                            + rule.sourceAddresses().size() + " pod addresses, ports "
                            + (rule.allowedPorts().isEmpty() ? "any" : rule.allowedPorts()),
                    () -> ports.datapath().applyEgress(rule));
        }
    }

    private void announce(DesiredState desired) {
        for (var a : PortDiff.of(desired.announcements(), ports.bgp().announcements())
                .applied()) {
            call(
                    a.owner(),
                    "announce " + a.prefix() + " communities " + a.communities(),
                    () -> ports.bgp().announce(a));
        }
    }

    private void publishExports(DesiredState desired) {
        for (var e : PortDiff.of(desired.exports(), ports.mesh().published()).applied()) {
            call(
                    ref(EXPORT, e.service()),
                    "publish to the mesh (" + e.readyBackends() + " ready backends)",
                    () -> ports.mesh().publish(e));
        }
    }

    /** One port call, logged and, when it fails, reported with the object it was for. */
    private static void call(ResourceRef ref, String action, Runnable portCall) {
        LOG.info("{}: {}", ref, action);
        try {
            portCall.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException(ref + ": " + action + " failed: " + e.getMessage(), e);
        }
    }

    private static ResourceRef ref(String kind, ObjectKey key) {
        return new ResourceRef(kind, key);
    }
}
