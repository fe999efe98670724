package io.meshgw.operator.reconcile;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs passes on one thread: events only mark the state dirty, so a burst of them makes one pass; a failed pass is
 * retried with a doubling delay; a periodic resync runs a pass even without events.
 */
final class ReconcileLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    private final Runnable pass;
    private final OperatorOptions options;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private Duration nextRetry;

    ReconcileLoop(String name, Runnable pass, OperatorOptions options) {
        this.pass = pass;
        this.options = options;
        this.nextRetry = options.retryDelay();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            var thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        long resync = options.resyncPeriod().toMillis();
        executor.scheduleWithFixedDelay(this::trigger, resync, resync, TimeUnit.MILLISECONDS);
        trigger();
    }

    /** Asks for a pass soon; calls before that pass starts are folded into it. */
    void trigger() {
        schedule(options.debounce());
    }

    private void schedule(Duration delay) {
        if (executor.isShutdown() || !pending.compareAndSet(false, true)) return;
        try {
            executor.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.set(false);
        }
    }

    private void run() {
        pending.set(false);
        try {
            pass.run();
            nextRetry = options.retryDelay();
        } catch (RuntimeException e) {
            if (executor.isShutdown()) return; // interrupted by close(): the next leader's pass takes over
            LOG.warn("reconcile pass failed, retrying in {}: {}", nextRetry, e.toString(), e);
            schedule(nextRetry);
            var doubled = nextRetry.multipliedBy(2);
            nextRetry = doubled.compareTo(options.resyncPeriod()) > 0 ? options.resyncPeriod() : doubled;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
