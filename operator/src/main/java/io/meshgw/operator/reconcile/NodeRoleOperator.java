package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshgw.operator.desired.GatewayPods;
import io.meshgw.operator.desired.NodeEgressPlanner;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.plan.Capabilities;
import io.meshgw.operator.plan.GatewayNodes;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.port.NodeRoleTarget;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node role's control plane on an ordinary node: it plans egress from the same objects as the gateways
 * (EgressIdentities, EgressIpPools, Pods), finds the gateway node that serves the egress addresses from the Nodes'
 * annotations and the gateways' Lease, and hands this node's part ({@link NodeEgress}) to the node role's datapath.
 * It writes nothing to the API server and never stands for the Lease: it only reads who holds it.
 */
public final class NodeRoleOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRoleOperator.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final OperatorOptions options;
    private final String node;
    private final NodeRoleTarget target;
    private final Watches watches;
    private final ReconcileLoop loop;
    private final Planner planner = new Planner();
    private volatile Optional<String> holder = Optional.empty();

    /** @param options its {@link OperatorOptions#node} names this node; the Lease is the gateways' */
    public NodeRoleOperator(KubernetesClient client, NodeRoleTarget target, OperatorOptions options) {
        this.options = options;
        this.node = options.node()
                .orElseThrow(() -> new IllegalArgumentException("the node role needs the name of its node"));
        this.target = target;
        this.watches = Watches.forNodeRole(
                client, node, options.leaseNamespace(), options.leaseName(), this::requestReconcile);
        this.loop = new ReconcileLoop("meshgw-node-role-" + node, this::pass, options);
    }

    /** Starts the informers, waits until they have listed, then runs the first pass. */
    public void start() {
        LOG.info(
                "node role on {} of cluster '{}' starting; the gateways' Lease is {}/{}",
                node,
                options.localCluster(),
                options.leaseNamespace(),
                options.leaseName());
        watches.start(SYNC_TIMEOUT);
        loop.start();
    }

    private void pass() {
        if (!watches.synced()) return;
        var snapshot = watches.snapshot(options.localCluster())
                .capabilities(Capabilities.DATAPATH)
                .build();
        var current = watches.leaseHolder();
        if (!current.equals(holder)) {
            LOG.info("node role on {}: the gateways' Lease is held by {}", node, current.orElse("nobody"));
            holder = current;
        }
        // The gateways' Pods too, as the gateways plan: a description left behind on a Node names no gateway node.
        var plan = planner.next(snapshot)
                .withGateways(GatewayNodes.of(
                        snapshot.nodes(),
                        current,
                        Optional.of(GatewayPods.running(snapshot.pods(), options.leaseNamespace()))));
        var addresses = snapshot.node()
                .map(io.meshgw.operator.plan.GatewayNode::addresses)
                .orElse(java.util.List.of());
        target.apply(NodeEgressPlanner.of(plan, snapshot.pods(), node).withNodeAddresses(addresses));
    }

    /** The gateway replica that holds the Lease, as the last pass read it. */
    public Optional<String> holder() {
        return holder;
    }

    /** Asks for a pass. */
    public void requestReconcile() {
        if (loop != null) loop.trigger();
    }

    @Override
    public void close() {
        loop.close();
        watches.close();
        LOG.info("node role on {} stopped", node);
    }
}
