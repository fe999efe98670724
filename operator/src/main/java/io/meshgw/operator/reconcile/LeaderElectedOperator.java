package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MeshgwOperator} only while this replica holds the coordination.k8s.io/v1 Lease, so two replicas
 * never apply at once: the standby takes over when the leader releases the Lease or lets it expire, and a replica
 * that lost it stops applying and stands for election again.
 */
public final class LeaderElectedOperator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElectedOperator.class);

    private final KubernetesClient client;
    private final GatewayPorts ports;
    private final OperatorOptions options;
    private final ExecutorService lifecycle;
    private volatile CompletableFuture<?> election;
    private volatile MeshgwOperator running;
    private volatile boolean closed;

    public LeaderElectedOperator(KubernetesClient client, GatewayPorts ports, OperatorOptions options) {
        this.client = client;
        this.ports = ports;
        this.options = options;
        this.lifecycle = Executors.newSingleThreadExecutor(r -> {
            var thread = new Thread(r, "meshgw-leader-" + options.identity());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void start() {
        var config = new LeaderElectionConfigBuilder()
                .withName(options.leaseName())
                .withLock(new LeaseLock(options.leaseNamespace(), options.leaseName(), options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> onLifecycleThread(this::lead),
                        () -> onLifecycleThread(this::follow),
                        leader -> LOG.info(
                                "Lease/{}/{}: leader is {}", options.leaseNamespace(), options.leaseName(), leader)))
                .build();
        election = client.leaderElector().withConfig(config).build().start();
        // A replica that lost the Lease stands again, unless it is shutting down.
        election.whenComplete((ignored, error) -> {
            if (!closed) onLifecycleThread(this::start);
        });
    }

    public boolean leading() {
        return running != null;
    }

    public void requestReconcile() {
        var operator = running;
        if (operator != null) operator.requestReconcile();
    }

    private void lead() {
        if (closed || running != null) return;
        LOG.info("Lease/{}/{}: {} leads", options.leaseNamespace(), options.leaseName(), options.identity());
        var operator = new MeshgwOperator(client, ports, options);
        try {
            operator.start();
            running = operator;
        } catch (RuntimeException e) {
            LOG.error(
                    "Lease/{}/{}: {} could not start; giving up the Lease",
                    options.leaseNamespace(),
                    options.leaseName(),
                    options.identity(),
                    e);
            operator.close();
            var current = election;
            if (current != null) current.cancel(true);
        }
    }

    private void follow() {
        var operator = running;
        running = null;
        if (operator != null) {
            LOG.info(
                    "Lease/{}/{}: {} stopped leading",
                    options.leaseNamespace(),
                    options.leaseName(),
                    options.identity());
            operator.close();
        }
    }

    /** Stops applying and releases the Lease so the standby takes over at once. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        var current = election;
        if (current != null) current.cancel(true);
        onLifecycleThread(this::follow);
        lifecycle.shutdown();
        try {
            lifecycle.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Leadership changes run one at a time, off the elector's thread, so a slow start never delays renewals. */
    private void onLifecycleThread(Runnable step) {
        try {
            lifecycle.execute(step);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing left to start or stop
        }
    }
}
