package io.meshgw.gateway.mesh;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.MeshClusterView;
import io.meshgw.gateway.datapath.DatapathPort;
import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.ClusterId;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.MeshControl;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * mesh-sync for the gateway: publishes this cluster's exports and reads every other cluster's.
 *
 * <p>The publisher starts only once the local state is known (the first reconcile pass, or a
 * quiet period), because its start-up snapshot deletes whatever the topic holds that the local
 * state lacks: starting it empty would make other clusters drop our endpoints for a moment.
 */
@ApplicationScoped
public class MeshService implements MeshControl {

    private static final Logger LOG = Logger.getLogger(MeshService.class);
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final Duration LATEST_START = Duration.ofSeconds(10);

    private final GatewayConfig config;
    private final DatapathPort datapath;
    private final Map<ObjectKey, ExportedService> published = new TreeMap<>();
    private final Map<ObjectKey, List<StateKey>> keysOf = new HashMap<>();
    private final List<Runnable> remoteListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService starter;
    private ClusterId self;
    private KafkaSettings settings;
    private MeshView view;
    private MeshReader reader;
    private ClusterPublisher publisher;
    private volatile MeshSnapshot snapshot;
    private long startedAt;
    private long lastLocalChange;
    private boolean localComplete;

    MeshService(GatewayConfig config, DatapathPort datapath) {
        this.config = config;
        this.datapath = datapath;
    }

    void onStart(@Observes StartupEvent ev) {
        GatewayConfig.Mesh mesh = config.mesh();
        if (!mesh.enabled()) {
            LOG.info("mesh-sync disabled (meshgw.mesh.enabled=false): only local backends are used");
            return;
        }
        self = new ClusterId(config.cluster().id(), config.cluster().name());
        settings = settings(mesh, self);
        ViewOptions vo = ViewOptions.defaults(self.id())
                .withTimeouts(
                        Duration.ofSeconds(mesh.unavailableAfterSeconds()),
                        Duration.ofSeconds(mesh.forgetAfterSeconds()));
        view = new MeshView(vo);
        view.subscribe(this::onSnapshot);
        reader = MeshReader.start(settings, vo, view, Duration.ofSeconds(5), Duration.ofMillis(500));
        startedAt = System.nanoTime();
        lastLocalChange = startedAt;
        starter = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-publisher-start").factory());
        starter.scheduleWithFixedDelay(this::startPublisherWhenSettled, 200, 200, TimeUnit.MILLISECONDS);
        LOG.infof("mesh-sync reading every cluster's state from %s as %s", settings.bootstrapServers(), self);
    }

    static KafkaSettings settings(GatewayConfig.Mesh mesh, ClusterId self) {
        String bootstrap = mesh.bootstrapServers()
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalArgumentException(
                        "meshgw.mesh.bootstrap-servers is required when meshgw.mesh.enabled=true"));
        try {
            return new KafkaSettings(bootstrap, mesh.kafka(), "meshgw-" + self.name(), Duration.ofSeconds(15));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meshgw.mesh.kafka: " + e.getMessage(), e);
        }
    }

    /** The local state is complete (the first full reconcile pass ran): the publisher may start. */
    public synchronized void localStateComplete() {
        localComplete = true;
    }

    private synchronized void startPublisherWhenSettled() {
        if (publisher != null) {
            return;
        }
        long now = System.nanoTime();
        boolean settled = localComplete
                || (now - lastLocalChange > QUIET.toNanos() && now - startedAt > QUIET.toNanos())
                || now - startedAt > LATEST_START.toNanos();
        if (!settled) {
            return;
        }
        List<StateValue> initial = new ArrayList<>();
        published.values().forEach(e -> initial.addAll(MeshRecords.values(e, self.id())));
        try {
            PublisherOptions po = PublisherOptions.defaults(self)
                    .withHeartbeatInterval(Duration.ofSeconds(config.mesh().heartbeatSeconds()));
            publisher = ClusterPublisher.openOnKafka(
                    settings, po, (short) config.mesh().replicationFactor(), initial);
            LOG.infof("publishing %s's state (epoch %d, %d exports)", self, publisher.epoch(), published.size());
            starter.shutdown();
        } catch (RuntimeException e) {
            LOG.warnf("cannot start publishing yet (%s); retrying", e.getMessage());
        }
    }

    private void onSnapshot(MeshSnapshot s) {
        snapshot = s;
        datapath.remoteBackends((service, port) -> MeshRecords.backends(s, self.id(), service, port));
        remoteListeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} whenever the other clusters' state changes (the operator reconciles). */
    public void onRemoteChange(Runnable listener) {
        remoteListeners.add(listener);
    }

    @Override
    public synchronized void publish(ExportedService service) {
        published.put(service.service(), service);
        if (self == null) {
            return;
        }
        lastLocalChange = System.nanoTime();
        List<StateValue> values = MeshRecords.values(service, self.id());
        List<StateKey> keys = values.stream().map(StateValue::key).toList();
        List<StateKey> stale = new ArrayList<>(keysOf.getOrDefault(service.service(), List.of()));
        stale.removeAll(keys);
        keysOf.put(service.service(), keys);
        if (publisher != null) {
            publisher.update(values, stale);
        }
    }

    @Override
    public synchronized void unpublish(ObjectKey service) {
        published.remove(service);
        if (self == null) {
            return;
        }
        lastLocalChange = System.nanoTime();
        Collection<StateKey> keys = keysOf.remove(service);
        if (publisher != null && keys != null) {
            publisher.update(List.of(), keys);
        }
    }

    @Override
    public synchronized Map<ObjectKey, ExportedService> published() {
        return Map.copyOf(published);
    }

    @Override
    public List<RemoteExport> remoteExports() {
        MeshSnapshot s = snapshot;
        return s == null ? List.of() : MeshRecords.remoteExports(s, self.id());
    }

    public boolean enabled() {
        return view != null;
    }

    public Optional<MeshSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    public Optional<MeshMetrics> metrics() {
        return reader == null ? Optional.empty() : Optional.of(reader.metrics());
    }

    /** Every cluster of the last snapshot with the reader's figures, as the admin API shows them. */
    public List<MeshClusterView> clusterViews() {
        return MeshClusterViews.of(snapshot(), metrics());
    }

    /** Ready for traffic: every known remote cluster was read to the end at least once. */
    public boolean synced() {
        MeshSnapshot s = snapshot;
        return s != null
                && s.clusters().values().stream().allMatch(c -> c.status().synced());
    }

    /**
     * Waits until every remote cluster was read to its end (bounded), so the first pass after a
     * (re)start sees the other clusters' backends: applying before that would drop remote
     * backends from the pinned datapath and withdraw VIPs they serve.
     */
    public boolean awaitSynced(Duration timeout) {
        if (!enabled()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (synced()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        LOG.warnf("the other clusters' state was not read within %s; going on with what is known", timeout);
        return false;
    }

    public synchronized boolean publishing() {
        return publisher != null;
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (starter != null) {
            starter.shutdownNow();
        }
        if (publisher != null) {
            publisher.close();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
