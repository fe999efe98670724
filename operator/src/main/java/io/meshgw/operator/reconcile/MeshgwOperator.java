package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's operator: informers, the reconcile loop and the ports it applies through. Every replica runs one and
 * applies each pass to its own node; only the replica {@code leadership} says holds the Lease ({@link
 * LeaderElectedOperator}) writes to the API server and the mesh.
 */
public final class MeshgwOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeshgwOperator.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(2);

    private final OperatorOptions options;
    private final Watches watches;
    private final ReconcileLoop loop;

    public MeshgwOperator(KubernetesClient client, GatewayPorts ports, OperatorOptions options, Leadership leadership) {
        this(client, ports, options, Clock.systemUTC(), leadership);
    }

    MeshgwOperator(
            KubernetesClient client, GatewayPorts ports, OperatorOptions options, Clock clock, Leadership leadership) {
        this.options = options;
        this.watches = new Watches(client, options.secretsNamespace(), options.node(), this::requestReconcile);
        var reconciler = new Reconciler(client, ports, options, watches, clock, leadership);
        this.loop = new ReconcileLoop("meshgw-reconcile-" + options.identity(), reconciler::reconcile, options);
    }

    /** Starts the informers, waits until they have listed, then runs the first pass. */
    public void start() {
        LOG.info(
                "operator {} of cluster '{}' starting; Secrets read in namespace {}",
                options.identity(),
                options.localCluster(),
                options.secretsNamespace());
        watches.start(SYNC_TIMEOUT);
        loop.start();
    }

    /** Asks for a pass, e.g. when mesh-sync read new remote exports or a session changed state. */
    public void requestReconcile() {
        if (loop != null) loop.trigger();
    }

    @Override
    public void close() {
        loop.close();
        watches.close();
        LOG.info("operator {} stopped", options.identity());
    }
}
