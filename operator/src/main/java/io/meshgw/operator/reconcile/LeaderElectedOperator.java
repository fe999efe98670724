package io.meshgw.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs this replica's {@link MeshgwOperator} all the time, since every replica plans and applies to its own node,
 * and stands for the coordination.k8s.io/v1 Lease, which picks the one replica that writes for the whole cluster:
 * finalizers, status, LegacyService objects and the mesh. A replica that loses the Lease stops writing and publishing
 * at once, goes on translating and announcing, and stands again. Only a replica whose informers have listed stands, so
 * the one that writes always sees the cluster.
 */
public final class LeaderElectedOperator implements Leadership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderElectedOperator.class);
    private static final Duration START_RETRY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final GatewayPorts ports;
    private final OperatorOptions options;
    private final ScheduledExecutorService lifecycle;
    private volatile CompletableFuture<?> election;
    private volatile MeshgwOperator operator;
    private volatile boolean leading;
    /** Held by a write made while leading, and by the Lease's loss, so the one waits for the other. */
    private final Object writes = new Object();

    private volatile String leader;
    private volatile boolean closed;

    public LeaderElectedOperator(KubernetesClient client, GatewayPorts ports, OperatorOptions options) {
        this.client = client;
        this.ports = ports;
        this.options = options;
        this.lifecycle = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, "meshgw-leader-" + options.identity());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the informers and the passes (off the caller's thread, retried until they list), then stands. */
    public void start() {
        onLifecycleThread(this::startOperator);
    }

    private void startOperator() {
        if (closed) return;
        var started = new MeshgwOperator(client, ports, options, this);
        try {
            started.start();
        } catch (RuntimeException e) {
            LOG.error(
                    "operator {} could not start: {}; retrying in {}s",
                    options.identity(),
                    e.toString(),
                    START_RETRY.toSeconds());
            started.close();
            try {
                lifecycle.schedule(this::startOperator, START_RETRY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closedMeanwhile) {
                // nothing left to start
            }
            return;
        }
        operator = started;
        stand();
    }

    private void stand() {
        if (closed) return;
        var config = new LeaderElectionConfigBuilder()
                .withName(options.leaseName())
                .withLock(new LeaseLock(options.leaseNamespace(), options.leaseName(), options.identity()))
                .withLeaseDuration(options.leaseDuration())
                .withRenewDeadline(options.renewDeadline())
                .withRetryPeriod(options.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> onLifecycleThread(this::lead), () -> onLifecycleThread(this::follow), this::leaderIs))
                .build();
        election = client.leaderElector().withConfig(config).build().start();
        // A replica that lost the Lease stands again, unless it is shutting down.
        election.whenComplete((ignored, error) -> {
            if (!closed) onLifecycleThread(this::stand);
        });
    }

    private void leaderIs(String identity) {
        leader = identity;
        LOG.info("Lease/{}/{}: leader is {}", options.leaseNamespace(), options.leaseName(), identity);
        // Whoever holds the Lease serves egress: a node that does not steers its identities' packets there.
        requestReconcile();
    }

    /** The Lease holder's identity as this replica last saw it. */
    @Override
    public Optional<String> holder() {
        return Optional.ofNullable(leader);
    }

    /** Whether this replica holds the Lease and so writes for the cluster. */
    @Override
    public boolean leading() {
        return leading;
    }

    @Override
    public boolean whileLeading(Runnable write) {
        synchronized (writes) {
            if (!leading) return false;
            write.run();
            return true;
        }
    }

    public void requestReconcile() {
        var running = operator;
        if (running != null) running.requestReconcile();
    }

    private void lead() {
        if (closed || leading) return;
        synchronized (writes) {
            leading = true;
        }
        LOG.info(
                "Lease/{}/{}: {} leads: it writes status and publishes this cluster's exports",
                options.leaseNamespace(),
                options.leaseName(),
                options.identity());
        requestReconcile();
    }

    private void follow() {
        synchronized (writes) {
            if (!leading) return;
            leading = false;
        }
        LOG.info(
                "Lease/{}/{}: {} stopped leading: it serves its node and leaves writing to the leader",
                options.leaseNamespace(),
                options.leaseName(),
                options.identity());
        ports.mesh().standBy();
    }

    /** Releases the Lease so another replica takes over at once, and stops the passes. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        var current = election;
        if (current != null) current.cancel(true);
        onLifecycleThread(this::follow);
        onLifecycleThread(() -> {
            var running = operator;
            operator = null;
            if (running != null) running.close();
        });
        lifecycle.shutdown();
        try {
            lifecycle.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lifecycle steps run one at a time, off the elector's thread, so a slow start never delays renewals. */
    private void onLifecycleThread(Runnable step) {
        try {
            lifecycle.execute(step);
        } catch (RejectedExecutionException e) {
            // closed meanwhile: nothing left to start or stop
        }
    }
}
