package io.meshgw.gateway.mesh;

import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.api.v1.MeshClusterView;
import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.kafka.ReaderHealth;
import io.meshgw.mesh.kafka.TopicReplication;
import io.meshgw.mesh.publish.ClusterPublisher;
import io.meshgw.mesh.publish.PublisherOptions;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshReader;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.mesh.view.MeshView;
import io.meshgw.mesh.view.ViewOptions;
import io.meshgw.operator.plan.ChunkedMap;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.MeshTarget;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpPrefix;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * mesh-sync for the gateway: publishes this cluster's exports (the plan's) and reads every other cluster's (the
 * input of the next pass).
 *
 * <p>The publisher starts with the first plan applied, because its start-up snapshot deletes whatever the topic
 * holds that the local state lacks: the first plan is the first complete local state. Only the replica that writes
 * for the cluster publishes: {@link #apply} is called on the Lease holder alone (always in standalone mode), and a
 * replica that loses the Lease is told to {@link #standBy}.
 */
@ApplicationScoped
public class MeshService implements MeshTarget {

    private static final Logger LOG = Logger.getLogger(MeshService.class);
    private static final Duration START_RETRY = Duration.ofSeconds(2);

    private final GatewayConfig config;
    private final List<Runnable> remoteListeners = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService starter;
    private ClusterId self;
    private Function<List<StateValue>, ClusterPublisher> publisherOpener;
    private MeshView view;
    private MeshReader reader;
    private ClusterPublisher publisher;
    private ClusterPublisher reportedFenced;
    /** The last plan's exports, and their records by export; null before the first plan. */
    private Map<ObjectKey, ExportedService> exports;

    private final Map<ObjectKey, List<StateValue>> valuesOf = new HashMap<>();
    /** Records of this gateway itself (its tunnel endpoint), published with every plan's; set before the first. */
    private List<StateValue> ownRecords = List.of();
    /** This node's own name, under which {@link #ownRecords} are published. */
    private Optional<String> ownNode = Optional.empty();
    /** The gateway records of the last plan: this gateway's own and those of the cluster's other gateway nodes. */
    private List<StateValue> gatewayRecords = List.of();
    /** Whether the records are wanted published: a plan was applied here since the last stand-by. */
    private boolean wanted;
    /** Whether the running publisher was handed every change of {@link #valuesOf} since it started. */
    private boolean publisherCurrent;

    private volatile MeshSnapshot snapshot;
    private final Map<ClusterView, List<RemoteExport>> remoteOf = new IdentityHashMap<>();

    MeshService(GatewayConfig config) {
        this.config = config;
    }

    void onStart(@Observes StartupEvent ev) {
        GatewayConfig.Mesh mesh = config.mesh();
        if (!mesh.enabled()) {
            LOG.info("mesh-sync disabled (meshgw.mesh.enabled=false): only local backends are used");
            return;
        }
        ClusterId cluster =
                new ClusterId(config.cluster().id(), config.cluster().name());
        KafkaSettings settings = settings(mesh, cluster);
        String protocol = mesh.kafka().getOrDefault("security.protocol", "PLAINTEXT");
        if (!protocol.startsWith("SASL_") && !protocol.equals("SSL")) {
            LOG.warnf(
                    "mesh-sync talks to Kafka over %s: no login, so any client that reaches the brokers can write any"
                            + " cluster's endpoints. Use SASL_SSL with one principal per cluster (docs/install.md)",
                    protocol);
        }
        ViewOptions vo = ViewOptions.defaults(cluster.id())
                .withTimeouts(
                        Duration.ofSeconds(mesh.unavailableAfterSeconds()),
                        Duration.ofSeconds(mesh.forgetAfterSeconds()));
        PublisherOptions po =
                PublisherOptions.defaults(cluster).withHeartbeatInterval(Duration.ofSeconds(mesh.heartbeatSeconds()));
        TopicReplication replication = replication(mesh);
        ownRecords = ownRecords(
                config.datapath().tunnelEndpoint(), config.kubernetes().nodeName(), cluster);
        ownNode = config.kubernetes().nodeName();
        gatewayRecords = ownRecords; // until the first plan names the other gateway nodes
        start(cluster, new MeshView(vo), initial -> ClusterPublisher.openOnKafka(settings, po, replication, initial));
        reader = MeshReader.start(settings, vo, view, Duration.ofSeconds(5), Duration.ofMillis(500));
        LOG.infof("mesh-sync reading every cluster's state from %s as %s", settings.bootstrapServers(), cluster);
    }

    /**
     * Takes the other clusters' state from {@code view} and publishes this cluster's through {@code publisherOpener},
     * which is called with the first plan's records and again shortly while it throws. {@link #onStart} gives them
     * Kafka; the contract test an in-memory topic.
     */
    void start(ClusterId cluster, MeshView view, Function<List<StateValue>, ClusterPublisher> publisherOpener) {
        this.self = cluster;
        this.publisherOpener = publisherOpener;
        this.view = view;
        view.subscribe(this::onSnapshot);
        starter = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("mesh-publisher-start").factory());
        starter.scheduleWithFixedDelay(
                this::askForAPassWhenFenced, START_RETRY.toMillis(), START_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A fenced publisher is claimed back by the next pass's publish ({@link #apply}); this asks for that pass once per
     * fenced publisher. A replica that does not hold the Lease runs the pass without publishing, so it never fences
     * the holder back.
     */
    private void askForAPassWhenFenced() {
        synchronized (this) {
            if (publisher == null || !publisher.fenced() || publisher == reportedFenced) {
                return;
            }
            reportedFenced = publisher;
        }
        remoteListeners.forEach(Runnable::run);
    }

    static TopicReplication replication(GatewayConfig.Mesh mesh) {
        try {
            TopicReplication recommended = TopicReplication.of(mesh.replicationFactor());
            return mesh.minInsyncReplicas()
                    .map(m -> new TopicReplication(recommended.factor(), m))
                    .orElse(recommended);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "meshgw.mesh.replication-factor / meshgw.mesh.min-insync-replicas: " + e.getMessage(), e);
        }
    }

    /**
     * This gateway's tunnel endpoint as a GatewayAddress under its node's name (the cluster's name where no node is
     * configured), when meshgw.datapath.tunnel-endpoint is set.
     */
    static List<StateValue> ownRecords(Optional<String> tunnelEndpoint, Optional<String> node, ClusterId cluster) {
        return tunnelEndpoint
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .<List<StateValue>>map(s -> List.of(MeshRecords.gateway(node.orElse(cluster.name()), endpoint(s))))
                .orElse(List.of());
    }

    private static java.net.Inet4Address endpoint(String text) {
        try {
            return io.meshgw.types.Ipv4Address.parse(text).toInetAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "meshgw.datapath.tunnel-endpoint is '" + text + "'; it must be an IPv4 address", e);
        }
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

    /**
     * Makes this cluster's topic hold the plan's exports: the publisher's desired state becomes exactly their
     * records, and it writes what differs from what it published. After the first plan only the exports the plan
     * changed are mapped to records and handed over (two plans share what did not change), so a pass that changes one
     * export of many costs one export's records.
     */
    @Override
    public synchronized void apply(Plan plan) {
        if (self == null) {
            return;
        }
        MeshRecords.Records changed = exports == null ? null : changedRecords(exports, plan.exports());
        if (changed == null) {
            valuesOf.clear();
            plan.exports().forEach((key, e) -> valuesOf.put(key, MeshRecords.values(e, self.id())));
        }
        exports = plan.exports();
        List<StateValue> gateways = MeshRecords.gateways(ownRecords, ownNode, plan.gateways());
        MeshRecords.Records gatewaysChanged = MeshRecords.change(gatewayRecords, gateways);
        gatewayRecords = gateways;
        wanted = true;
        if (publisher != null && publisher.fenced()) {
            // Another instance of this cluster claimed the topic. Only the Lease holder's passes get here: it claims
            // the topic back, with a new epoch, from what the plan wants.
            LOG.warnf(
                    "%s's publisher (epoch %d) was fenced by another instance; publishing again",
                    self, publisher.epoch());
            publisher.close();
            publisher = null;
        }
        if (publisher == null) {
            startPublisher();
            return;
        }
        boolean current = publisherCurrent;
        publisherCurrent = false; // until the hand-over below is done
        if (current && changed != null) {
            List<StateValue> puts = new ArrayList<>(changed.puts());
            List<StateKey> removes = new ArrayList<>(changed.removes());
            puts.addAll(gatewaysChanged.puts());
            removes.addAll(gatewaysChanged.removes());
            if (!puts.isEmpty() || !removes.isEmpty()) {
                publisher.update(puts, removes);
            }
        } else {
            publisher.replaceAll(records());
        }
        publisherCurrent = true;
    }

    /** Updates {@link #valuesOf} from the exports that differ between two plans, and says what changed. */
    private MeshRecords.Records changedRecords(
            Map<ObjectKey, ExportedService> before, Map<ObjectKey, ExportedService> after) {
        List<StateValue> puts = new ArrayList<>();
        List<StateKey> removes = new ArrayList<>();
        ChunkedMap.diff(before, after, (key, was, now) -> {
            List<StateValue> old = valuesOf.getOrDefault(key, List.of());
            List<StateValue> next = now == null ? List.of() : MeshRecords.values(now, self.id());
            MeshRecords.Records change = MeshRecords.change(old, next);
            puts.addAll(change.puts());
            removes.addAll(change.removes());
            if (next.isEmpty()) {
                valuesOf.remove(key);
            } else {
                valuesOf.put(key, next);
            }
        });
        return new MeshRecords.Records(puts, removes);
    }

    /** Every record of the last plan. */
    private List<StateValue> records() {
        List<StateValue> all = new ArrayList<>(gatewayRecords);
        valuesOf.values().forEach(all::addAll);
        return all;
    }

    /**
     * Another replica publishes now (this one lost the Lease): the publisher is closed, which writes what it has
     * pending and deletes nothing, and is not started again until the next plan applied here.
     */
    @Override
    public synchronized void standBy() {
        wanted = false;
        if (publisher == null) {
            return;
        }
        LOG.infof(
                "%s's state is published by another replica now; this one stops publishing (epoch %d)",
                self, publisher.epoch());
        publisher.close();
        publisher = null;
    }

    /** Starts publishing the wanted records; a broker that cannot be reached yet is tried again shortly. */
    private synchronized void startPublisher() {
        if (publisher != null || !wanted || starter.isShutdown()) {
            return;
        }
        try {
            List<StateValue> records = records();
            publisher = publisherOpener.apply(records);
            publisherCurrent = true;
            LOG.infof("publishing %s's state (epoch %d, %d records)", self, publisher.epoch(), records.size());
        } catch (RuntimeException e) {
            LOG.warnf("cannot start publishing yet (%s); retrying in %s", e.getMessage(), START_RETRY);
            starter.schedule(this::startPublisher, START_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void onSnapshot(MeshSnapshot s) {
        snapshot = s;
        remoteListeners.forEach(Runnable::run);
    }

    /**
     * The addresses this gateway translates and announces (its VIPs and egress addresses): another cluster's endpoint
     * or gateway inside them would loop packets between this gateway and the routers, so the view takes them out. Every
     * replica that runs passes calls this with the plan it applied.
     */
    public void localAddresses(Plan plan) {
        if (view == null) {
            return;
        }
        Set<IpPrefix> own = new HashSet<>(plan.announcements().keySet());
        plan.translations()
                .values()
                .forEach(
                        t -> own.add(IpPrefix.covering(t.vip(), t.vip().family().bits())));
        view.localVips(own);
    }

    /** Runs {@code listener} whenever the other clusters' state changes: it asks for a pass. */
    public void onRemoteChange(Runnable listener) {
        remoteListeners.add(listener);
    }

    /** The other clusters' exports; a cluster whose view did not change since the last call is not mapped again. */
    @Override
    public List<RemoteExport> remoteExports() {
        MeshSnapshot s = snapshot;
        if (s == null) {
            return List.of();
        }
        synchronized (remoteOf) {
            List<RemoteExport> out = new ArrayList<>();
            Map<ClusterView, List<RemoteExport>> seen = new IdentityHashMap<>();
            for (ClusterView c : s.available()) {
                if (c.cluster().id() == self.id()) {
                    continue;
                }
                List<RemoteExport> mapped = remoteOf.get(c);
                if (mapped == null) {
                    mapped = MeshRecords.remoteExports(c);
                }
                seen.put(c, mapped);
                out.addAll(mapped);
            }
            remoteOf.clear();
            remoteOf.putAll(seen);
            return out;
        }
    }

    public boolean enabled() {
        return view != null;
    }

    /** The tunnel endpoint of each other cluster the mesh still holds, by cluster id (see MeshRecords). */
    public Map<Integer, List<java.net.Inet4Address>> tunnelEndpoints() {
        MeshSnapshot s = snapshot;
        return s == null ? Map.of() : MeshRecords.tunnelEndpoints(s, self.id());
    }

    public Optional<MeshSnapshot> snapshot() {
        return Optional.ofNullable(snapshot);
    }

    /** Why the reader's threads stopped working for good (ended, stuck); empty while they work or with mesh-sync off. */
    public Optional<String> readerStalled() {
        return reader == null ? Optional.empty() : reader.stalled();
    }

    /** Whether the reader reads, and why not; empty with mesh-sync off. */
    public Optional<ReaderHealth> readerHealth() {
        return reader == null ? Optional.empty() : Optional.of(reader.health());
    }

    public Optional<MeshMetrics> metrics() {
        return reader == null ? Optional.empty() : Optional.of(reader.metrics());
    }

    /** Every cluster of the last snapshot with the reader's figures, as the admin API shows them. */
    public List<MeshClusterView> clusterViews() {
        return MeshClusterViews.of(snapshot(), metrics());
    }

    /**
     * Ready for traffic: the mesh's topics were listed and every other cluster found was read to its end at least
     * once. Not before the first listing: an empty view then means "nothing read yet", not "no other cluster".
     */
    public boolean synced() {
        MeshSnapshot s = snapshot;
        return s != null && s.synced();
    }

    /**
     * Waits until every remote cluster was read to its end (bounded), so the first pass after a (re)start sees the
     * other clusters' backends: applying before that would drop remote backends from the pinned datapath and
     * withdraw VIPs they serve.
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

    /** This cluster's topic holds the plan's exports: a publisher runs and no other instance has fenced it. */
    public synchronized boolean publishing() {
        return publisher != null && !publisher.fenced();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (starter != null) {
            starter.shutdownNow();
        }
        synchronized (this) {
            if (publisher != null) {
                publisher.close();
            }
        }
        if (reader != null) {
            reader.close();
        }
    }
}
