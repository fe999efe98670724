package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.port.ResourceRef;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One pass: read, add missing finalizers, compute and apply the difference through the ports ({@link PortApplier}),
 * keep the Services that make LegacyServices resolvable ({@link LegacyNameWriter}), write status, release the
 * finalizers of deleted exports the gateway no longer holds.
 */
final class Reconciler {
    private final GatewayPorts ports;
    private final OperatorOptions options;
    private final Watches watches;
    private final PortApplier applier;
    private final LegacyNameWriter legacyNames;
    private final StatusWriter status;
    private final Finalizers finalizers;

    Reconciler(KubernetesClient client, GatewayPorts ports, OperatorOptions options, Watches watches, Clock clock) {
        this.ports = ports;
        this.options = options;
        this.watches = watches;
        this.applier = new PortApplier(ports);
        this.legacyNames = new LegacyNameWriter(client);
        this.status = new StatusWriter(client, clock);
        this.finalizers = new Finalizers(client);
    }

    void reconcile() {
        if (!watches.synced()) return;
        long start = System.nanoTime();
        var snapshot = readSnapshot();
        guardExportsWithFinalizers(snapshot);
        var desired = applier.apply(snapshot);
        var unnamed = writeLegacyNames(snapshot, desired);
        var failed = writeStatus(snapshot, desired);
        releaseDeletedExports(snapshot);
        ports.passes().passed(desired, Duration.ofNanos(System.nanoTime() - start));
        if (!unnamed.isEmpty()) throw new IllegalStateException("Service or EndpointSlices not written for " + unnamed);
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

    private List<ResourceRef> writeLegacyNames(Snapshot snapshot, DesiredState desired) {
        return legacyNames.write(snapshot, desired);
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

    /** Runs after the applier's removals, so a released export is no longer announced, translated or published. */
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
}
