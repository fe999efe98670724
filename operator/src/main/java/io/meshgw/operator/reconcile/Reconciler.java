package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.DesiredStateModel;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass: read, compute, apply the difference through the ports, write status. The order of the steps matters:
 * routes are withdrawn before the translations behind them go, and translations exist before their routes are
 * announced, so routers never send traffic the datapath would drop.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    static final String EXPORT = "MeshServiceExport";
    static final String PEER = "BgpPeer";
    static final String EGRESS = "EgressIdentity";

    private final GatewayPorts ports;
    private final OperatorOptions options;
    private final Watches watches;
    private final StatusWriter status;
    private final Finalizers finalizers;

    Reconciler(KubernetesClient client, GatewayPorts ports, OperatorOptions options, Watches watches, Clock clock) {
        this.ports = ports;
        this.options = options;
        this.watches = watches;
        this.status = new StatusWriter(client, clock);
        this.finalizers = new Finalizers(client);
    }

    void reconcile() {
        if (!watches.synced()) return;
        var snapshot = readSnapshot();
        var desired = DesiredStateModel.compute(snapshot);
        guardExportsWithFinalizers(snapshot);
        withdrawStaleAnnouncements(desired);
        removeStaleTranslations(desired);
        removeStaleEgressRules(desired);
        unpublishStaleExports(desired);
        removeStalePeers(desired);
        applyPeers(desired);
        applyTranslations(desired);
        applyEgressRules(desired);
        announce(desired);
        publishExports(desired);
        var failed = writeStatus(snapshot, desired);
        releaseDeletedExports(snapshot);
        if (!failed.isEmpty()) throw new IllegalStateException("status not written for " + failed);
    }

    private Snapshot readSnapshot() {
        return watches.snapshot(options.localCluster())
                .remoteExports(ports.mesh().remoteExports())
                .sessions(ports.sessions().sessions())
                .learnedRoutes(ports.sessions().learnedRoutes())
                .build();
    }

    private void guardExportsWithFinalizers(Snapshot snapshot) {
        finalizers.addMissing(snapshot.exports());
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
                    "apply egress rule with source " + rule.sourceIp(),
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

    private List<ResourceRef> writeStatus(Snapshot snapshot, DesiredState desired) {
        Map<ResourceRef, HasMetadata> objects = new HashMap<>();
        Stream.of(
                        snapshot.peers(),
                        snapshot.policies(),
                        snapshot.vipPools(),
                        snapshot.egressPools(),
                        snapshot.exports(),
                        snapshot.egressIdentities(),
                        snapshot.legacyServices(),
                        snapshot.meshClusters())
                .flatMap(List::stream)
                .forEach(o -> objects.put(Metadata.ref(o), o));
        return status.write(objects, desired.outcomes());
    }

    /** Runs after the removals above, so a released export is no longer announced, translated or published. */
    private void releaseDeletedExports(Snapshot snapshot) {
        finalizers.releaseDeleted(snapshot.exports(), this::stillApplied);
    }

    private boolean stillApplied(ResourceRef export) {
        var key = export.key();
        return ports.datapath().translations().containsKey(key)
                || ports.mesh().published().containsKey(key)
                || ports.bgp().announcements().values().stream()
                        .anyMatch(a -> a.owner().equals(export));
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
