package io.meshgw.gateway.control;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.desired.DesiredState;
import io.meshgw.operator.desired.Snapshot;
import io.meshgw.operator.reconcile.GatewayPorts;
import io.meshgw.operator.reconcile.PortApplier;
import io.meshgw.operator.standalone.SnapshotFromObjects;
import io.meshgw.operator.standalone.StandaloneObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Standalone mode: the desired state comes from a YAML file of the same objects the operator
 * watches in Kubernetes (BgpPeer, LegacyVipPool, MeshServiceExport, Service, EndpointSlice, Pod,
 * ...). The file is re-read when it changes; a file that does not parse is reported and the
 * last good state stays applied. Passes also run when the mesh or the BGP sessions change.
 */
final class StandaloneSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StandaloneSource.class);

    private final Path file;
    private final String localCluster;
    private final GatewayPorts ports;
    private final PortApplier applier;
    private final MeshService mesh;
    private final ScheduledExecutorService loop;
    private final AtomicBoolean requested = new AtomicBoolean(true);
    private List<HasMetadata> objects = List.of();
    private FileTime seen;
    private long seenSize = -1;
    private String lastReport = "";
    private volatile DesiredState last;

    StandaloneSource(Path file, String localCluster, GatewayPorts ports, MeshService mesh) {
        this.file = file;
        this.localCluster = localCluster;
        this.ports = ports;
        this.applier = new PortApplier(ports);
        this.mesh = mesh;
        this.loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("standalone-source").factory());
    }

    /** Reads the file once (a bad file fails the start: nothing good was applied yet), then watches it. */
    void start() {
        if (!reload()) {
            throw new IllegalArgumentException("meshgw.standalone.file " + file + " could not be read; see above");
        }
        pass();
        mesh.localStateComplete();
        loop.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
        // Sessions coming up and routes learned feed status and LegacyServices: a slow heartbeat.
        loop.scheduleWithFixedDelay(this::request, 2, 2, TimeUnit.SECONDS);
    }

    void request() {
        requested.set(true);
    }

    DesiredState lastState() {
        return last;
    }

    private void tick() {
        try {
            if (changed() && reload()) {
                requested.set(true);
            }
            if (requested.getAndSet(false)) {
                pass();
            }
        } catch (RuntimeException e) {
            LOG.errorf("standalone pass failed: %s", e.getMessage());
        }
    }

    private boolean changed() {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            return !t.equals(seen) || size != seenSize;
        } catch (IOException e) {
            return false;
        }
    }

    private boolean reload() {
        try {
            FileTime t = Files.getLastModifiedTime(file);
            long size = Files.size(file);
            List<HasMetadata> parsed = StandaloneObjects.parse(Files.readString(file));
            objects = parsed;
            seen = t;
            seenSize = size;
            LOG.infof("read %d object(s) from %s", parsed.size(), file);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot use %s, keeping the last good state: %s", file, e.getMessage());
            try {
                seen = Files.getLastModifiedTime(file);
                seenSize = Files.size(file);
            } catch (IOException ignored) {
                // the next tick tries again
            }
            return false;
        }
    }

    private synchronized void pass() {
        long start = System.nanoTime();
        Snapshot snapshot = SnapshotFromObjects.of(localCluster, objects)
                .remoteExports(ports.mesh().remoteExports())
                .sessions(ports.sessions().sessions())
                .learnedRoutes(ports.sessions().learnedRoutes())
                .build();
        last = applier.apply(snapshot);
        ports.passes().passed(last, Duration.ofNanos(System.nanoTime() - start));
        String report = OutcomeReport.of(last);
        if (!Objects.equals(report, lastReport)) {
            if (!report.isEmpty()) {
                LOG.warnf("not applied as asked:%n%s", report);
            }
            lastReport = report;
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }
}
