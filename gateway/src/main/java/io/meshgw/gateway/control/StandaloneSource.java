package io.meshgw.gateway.control;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.operator.desired.Planner;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PlanApplier;
import io.meshgw.operator.standalone.SnapshotFromObjects;
import io.meshgw.operator.standalone.StandaloneFile;
import io.meshgw.types.ClusterId;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Standalone mode: the cluster's objects come from a YAML file of the same kinds the operator watches in Kubernetes
 * (BgpPeer, LegacyVipPool, MeshServiceExport, Service, EndpointSlice, Pod, ...). A pass runs when the file changes,
 * when the other clusters' state changes, and when the speaker reports a change the plan depends on. A file that
 * does not parse, or that {@link StandaloneFile#refusal} refuses (empty or cut short: still valid YAML, it would
 * withdraw every VIP and remove every peer), is reported, counted, and the last good objects stay in use.
 */
final class StandaloneSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StandaloneSource.class);
    private static final Duration FILE_CHECK = Duration.ofMillis(250);

    private final Path file;
    private final ClusterId localCluster;
    private final GatewayPorts ports;
    private final PlanApplier applier;
    private final Planner planner = new Planner();
    private final ScheduledExecutorService fileWatch;
    private final ExecutorService passes;
    private final AtomicBoolean pending = new AtomicBoolean();
    /**
     * Set once the file was read: a pass before that would plan from no objects at all, empty the datapath an
     * earlier run pinned, withdraw every route and start the mesh publisher with nothing (which deletes this
     * cluster's exports from the topic). Requests until then are dropped: the first pass reads what they report.
     */
    private volatile boolean started;

    private final Counter refused;
    private Optional<StandaloneFile> lastGood = Optional.empty();
    private List<HasMetadata> objects = List.of();
    private FileTime seen;
    private long seenSize = -1;
    private String lastReport = "";

    /** @param refused counts the versions of the file not used (not parsed or refused) */
    StandaloneSource(Path file, ClusterId localCluster, GatewayPorts ports, Counter refused) {
        this.file = file;
        this.refused = refused;
        this.localCluster = localCluster;
        this.ports = ports;
        this.applier = new PlanApplier(ports);
        this.fileWatch = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("standalone-file").factory());
        this.passes = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().daemon().name("standalone-pass").factory());
    }

    /** Reads the file and runs the first pass (a bad file fails the start: nothing good was applied yet). */
    void start() {
        if (!reload()) {
            throw new IllegalArgumentException("meshgw.standalone.file " + file + " could not be read; see above");
        }
        started = true;
        pass();
        fileWatch.scheduleWithFixedDelay(
                this::checkFile, FILE_CHECK.toMillis(), FILE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a pass; requests made before it starts are served by it. */
    void request() {
        if (started && pending.compareAndSet(false, true)) {
            try {
                passes.execute(() -> {
                    pending.set(false);
                    try {
                        pass();
                    } catch (RuntimeException e) {
                        LOG.errorf("standalone pass failed: %s", e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.set(false); // closing
            }
        }
    }

    private void checkFile() {
        try {
            if (changed() && reload()) {
                request();
            }
        } catch (RuntimeException e) {
            LOG.errorf("reading %s failed: %s", file, e.getMessage());
        }
    }

    private boolean changed() {
        try {
            return !Files.getLastModifiedTime(file).equals(seen) || Files.size(file) != seenSize;
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized boolean reload() {
        String text = null;
        try {
            FileTime t = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            text = Files.readString(file);
            var parsed = StandaloneFile.parse(text);
            var refusal = parsed.refusal(lastGood);
            if (refusal.isPresent()) throw new IllegalArgumentException(refusal.get());
            lastGood = Optional.of(parsed);
            objects = parsed.objects();
            seen = t;
            seenSize = size;
            LOG.infof("read %d object(s) from %s", objects.size(), file);
            return true;
        } catch (IOException | RuntimeException e) {
            refused.increment();
            LOG.errorf(
                    "cannot use %s%s, keeping the last good state (%d objects): %s",
                    file, extent(text), objects.size(), e.getMessage());
            try {
                seen = Files.getLastModifiedTime(file);
                seenSize = Files.size(file);
            } catch (IOException ignored) {
                // the next check tries again
            }
            return false;
        }
    }

    /** How far a refused file goes, so the log says where it was cut: " (37 lines, 1042 characters)". */
    private static String extent(String text) {
        if (text == null) return "";
        return " (" + text.lines().count() + " lines, " + text.length() + " characters)";
    }

    /** One pass: inputs, plan, apply in order, report. */
    private synchronized void pass() {
        long start = System.nanoTime();
        Snapshot snapshot = ports.snapshot(SnapshotFromObjects.of(localCluster, objects));
        Plan plan = planner.next(snapshot);
        applier.apply(plan);
        ports.passes().passed(plan, Duration.ofNanos(System.nanoTime() - start));
        String report = OutcomeReport.of(plan);
        if (!Objects.equals(report, lastReport)) {
            if (!report.isEmpty()) {
                LOG.warnf("not applied as asked:%n%s", report);
            }
            lastReport = report;
        }
    }

    @Override
    public void close() {
        fileWatch.shutdownNow();
        passes.shutdownNow();
    }
}
