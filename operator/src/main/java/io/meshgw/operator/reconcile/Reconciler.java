package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.desired.BackendNodes;
import io.meshgw.operator.desired.GatewayPods;
import io.meshgw.operator.desired.Metadata;
import io.meshgw.operator.desired.NodeRolePods;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.plan.GatewayNodes;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ResourceRef;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One pass of one gateway replica: read the snapshot, plan, and apply the plan to this node's engines ({@link
 * PlanApplier#applyToNode}). Every replica does that much, so each node translates and announces what the cluster
 * exports; egress addresses are served by the Lease holder alone ({@link Plan#withEgressServedElsewhere}). The replica that holds the Lease also writes for the whole cluster: finalizers on exports, this cluster's
 * exports to the mesh, the Services that make LegacyServices resolvable ({@link LegacyNameWriter}), status and the
 * Events of its transitions ({@link EventWriter}), and the
 * release of deleted exports the applied plan no longer holds. Each replica also writes its own node's sessions into
 * its BgpPeers' status ({@link NodeStatusWriter}).
 */
final class Reconciler {
    private final GatewayPorts ports;
    private final OperatorOptions options;
    private final Watches watches;
    private final PlanApplier applier;
    /** One planner for this replica's passes: it remembers the last pass, so unchanged exports are not planned again. */
    private final Planner planner = new Planner();

    private final LegacyNameWriter legacyNames;
    private final StatusWriter status;
    private final Finalizers finalizers;
    private final Leadership leadership;
    /** This replica's entries in BgpPeer status.nodes; empty where it knows no node of its own. */
    private final Optional<NodeStatusWriter> nodeStatus;
    /** This replica's gateway described on its own Node; empty where it knows no node of its own. */
    private final Optional<NodeAnnotationWriter> nodeAnnotations;

    /** @param leadership whether this replica holds the Lease, asked at the start of each pass and for the mesh */
    Reconciler(
            KubernetesClient client,
            GatewayPorts ports,
            OperatorOptions options,
            Watches watches,
            Clock clock,
            Leadership leadership) {
        this.ports = ports;
        this.leadership = leadership;
        this.options = options;
        this.watches = watches;
        this.applier = new PlanApplier(ports);
        var writer = new ResourceWriter(client);
        this.legacyNames = new LegacyNameWriter(writer);
        this.status = new StatusWriter(
                writer, client.getKubernetesSerialization(), clock, new EventWriter(writer, clock, options.identity()));
        this.finalizers = new Finalizers(writer);
        this.nodeStatus = options.node().map(node -> new NodeStatusWriter(client, node));
        this.nodeAnnotations = options.node()
                .map(node -> new NodeAnnotationWriter(client, node, options.identity(), options.tunnelEndpoint()));
    }

    void reconcile() {
        if (!watches.synced()) return;
        long start = System.nanoTime();
        var snapshot = readSnapshot();
        nodeAnnotations.ifPresent(writer -> writer.write(snapshot.node()));
        boolean writesForTheCluster = leadership.leading();
        if (writesForTheCluster) guardExportsWithFinalizers(snapshot);
        var planned = planner.next(snapshot);
        var gateways = GatewayNodes.of(
                snapshot.nodes(),
                leadership.holder(),
                Optional.of(GatewayPods.running(snapshot.pods(), options.leaseNamespace())));
        var plan = planned.withGateways(gateways.withBackendNodes(BackendNodes.of(
                snapshot.endpointSlices(),
                planned.translations().values(),
                planned.exports().values(),
                NodeRolePods.ready(snapshot.pods(), options.leaseNamespace()),
                gateways.endpoints().keySet())));
        var onThisNode = writesForTheCluster ? plan : plan.withEgressServedElsewhere();
        if (snapshot.node().map(GatewayNode::drained).orElse(false)) onThisNode = onThisNode.withoutVipRoutes();
        applier.applyToNode(onThisNode);
        writeNodeStatus(snapshot, onThisNode);
        // Asked again, and held: a Lease lost while this node was written must not be followed by a publish, which
        // would claim the topic from the new holder; a Lease lost during the publish stands by after it.
        boolean published = writesForTheCluster && leadership.whileLeading(() -> applier.publish(plan));
        // What this node applied, so its admin API and metrics say what it serves: a follower serves no egress.
        ports.passes().passed(onThisNode, Duration.ofNanos(System.nanoTime() - start));
        if (!published) return;
        var unnamed = writeLegacyNames(snapshot, plan);
        var failed = writeStatus(snapshot, plan);
        releaseDeletedExports(snapshot, plan);
        if (!unnamed.isEmpty()) throw new IllegalStateException("Service or EndpointSlices not written for " + unnamed);
        if (!failed.isEmpty()) throw new IllegalStateException("status not written for " + failed);
    }

    /** Every replica reports its own sessions, leader or not. */
    private void writeNodeStatus(Snapshot snapshot, Plan onThisNode) {
        nodeStatus.ifPresent(writer -> writer.write(snapshot.peers(), onThisNode, snapshot.sessions()));
    }

    private Snapshot readSnapshot() {
        return ports.snapshot(watches.snapshot(options.localCluster()).replica(options.identity()));
    }

    private void guardExportsWithFinalizers(Snapshot snapshot) {
        finalizers.addMissing(snapshot.exports());
    }

    private List<ResourceRef> writeLegacyNames(Snapshot snapshot, Plan plan) {
        return legacyNames.write(snapshot, plan);
    }

    private List<ResourceRef> writeStatus(Snapshot snapshot, Plan plan) {
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
        return status.write(objects, plan.outcomes());
    }

    /**
     * Reached only when {@link PlanApplier#apply} returned: every engine holds the plan, which never holds a deleted
     * export, so nothing of one is announced, translated or published any more.
     */
    private void releaseDeletedExports(Snapshot snapshot, Plan applied) {
        finalizers.releaseDeleted(snapshot.exports(), applied);
    }
}
