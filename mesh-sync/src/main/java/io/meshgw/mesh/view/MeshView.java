package io.meshgw.mesh.view;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.kafka.RecordSink;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.wire.ValidRecord;
import io.meshgw.mesh.wire.Validator;
import io.meshgw.mesh.wire.Verdict;
import io.meshgw.types.IpPrefix;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this gateway knows of the other clusters, built from the records a {@link
 * io.meshgw.mesh.kafka.StateReader} delivers and handed to listeners as immutable {@link
 * MeshSnapshot}s.
 *
 * <ul>
 *   <li>Every record is validated first; a rejected one is counted, logged with topic, offset and
 *       reason, and never applied.
 *   <li>Per key, only a record newer in (epoch, seq) order than the one applied is applied; per
 *       cluster, a record of an epoch older than one already read is a zombie's and ignored.
 *   <li>Mark and sweep: when the reader starts a topic from its beginning again, everything held
 *       for that cluster is marked; what the log does not confirm before the next {@code
 *       meta/synced} is swept. A cluster shows new content only once synced, so a snapshot never
 *       holds half a re-read.
 *   <li>Addresses no remote cluster may use here (loopback, link-local, multicast, unspecified, this gateway's
 *       own VIPs: {@link ForbiddenAddress}) are taken out of endpoints and gateways as they are read, counted per
 *       cluster and kind, and logged with the cluster and key.
 *   <li>A cluster holds at most {@code maxKeysPerCluster} keys; new keys beyond are counted, not taken.
 *   <li>A cluster silent beyond {@code unavailableAfter} is unavailable (its endpoints leave the
 *       view, its state stays); beyond {@code forgetAfter}, or on {@link #forget}, it is dropped.
 * </ul>
 *
 * Thread-safe: the reader thread, a ticking thread and callers may call it concurrently.
 */
public final class MeshView implements RecordSink {

    private static final Logger LOG = LoggerFactory.getLogger(MeshView.class);
    private static final int LOGGED_REJECTIONS = 20;

    private final ViewOptions options;
    private final Validator validator;
    private final Object lock = new Object();
    private final Map<Integer, ClusterState> clusters = new HashMap<>();
    private final Map<Integer, Long> rejectedByCluster = new HashMap<>();
    private final Set<Integer> forgotten = new HashSet<>();
    private final List<Consumer<MeshSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private final Object deliveryLock = new Object();
    private volatile Consumer<String> rewind = topic -> {};
    private volatile MeshSnapshot latest;
    private long deliveredVersion;
    private long applied;
    private long rejected;
    private long ignored;
    private long addressesRejected;
    private List<IpPrefix> localVips = List.of();
    private boolean removedSinceSnapshot;
    private boolean listed;

    public MeshView(ViewOptions options) {
        this.options = options;
        this.validator = new Validator(options.topics());
        this.latest = new MeshSnapshot(0, options.clock().instant(), Map.of(), false);
    }

    /** How to ask the transport to read a topic again from its start (after a cluster was dropped). */
    public void rewindThrough(Consumer<String> rewinder) {
        this.rewind = rewinder == null ? topic -> {} : rewinder;
    }

    @Override
    public void onTopicAdded(String topic) {
        int id = options.topics().clusterOf(topic);
        if (id == 0 || id == options.localCluster()) {
            return;
        }
        synchronized (lock) {
            forgotten.remove(id);
            clusters.computeIfAbsent(id, i -> new ClusterState(i, now())).mark();
        }
    }

    @Override
    public void onTopicsListed() {
        synchronized (lock) {
            if (listed) {
                return;
            }
            listed = true;
        }
        publish();
    }

    @Override
    public void onRecord(RawRecord raw) {
        Verdict verdict = validator.validate(raw); // pure: outside the lock
        synchronized (lock) {
            switch (verdict) {
                case Verdict.Rejected r -> reject(raw, r.reason());
                case Verdict.Accepted a -> accept(a.record());
            }
        }
    }

    private void reject(RawRecord raw, String reason) {
        rejected++;
        int id = options.topics().clusterOf(raw.topic());
        if (id != 0) {
            rejectedByCluster.merge(id, 1L, Long::sum);
        }
        if (rejected <= LOGGED_REJECTIONS || rejected % 1000 == 0) {
            LOG.warn(
                    "rejected record {}@{}: {}{}",
                    raw.topic(),
                    raw.offset(),
                    reason,
                    rejected == LOGGED_REJECTIONS ? " (from now on every 1000th rejection is logged)" : "");
        }
    }

    private void accept(ValidRecord r) {
        int id = r.cluster();
        if (id == options.localCluster()) {
            return;
        }
        if (forgotten.contains(id)) {
            // Dropped state is only complete again when read from the start.
            ignored++;
            forgotten.remove(id);
            LOG.info("cluster {} speaks again after it was dropped; rereading {}", id, r.topic());
            rewind.accept(r.topic());
            return;
        }
        ClusterState cs = clusters.computeIfAbsent(id, i -> new ClusterState(i, now()));
        switch (cs.apply(r, now(), options.maxKeysPerCluster(), this::screen)) {
            case APPLIED -> applied++;
            case IGNORED_OLDER -> ignored++;
            case OVER_KEY_LIMIT -> {
                ignored++;
                if (cs.overKeyLimit == 1 || cs.overKeyLimit % 1000 == 0) {
                    LOG.warn(
                            "cluster {} holds its limit of {} keys; {} not taken ({} so far)",
                            cs.clusterId(),
                            options.maxKeysPerCluster(),
                            r.key().format(),
                            cs.overKeyLimit);
                }
            }
        }
    }

    /**
     * This gateway's own VIPs and VIP pools: an address inside them, published by another cluster, would loop
     * packets between the gateway and the routers, so it is taken out like a loopback address. Values already held
     * are screened again when the set changes.
     */
    public void localVips(Collection<IpPrefix> prefixes) {
        List<IpPrefix> next = List.copyOf(new TreeSet<>(prefixes));
        synchronized (lock) {
            if (next.equals(localVips)) {
                return;
            }
            localVips = next;
            clusters.values().forEach(cs -> cs.rescreen(this::screen));
        }
        publish();
    }

    /** What of a remote value may be used here; forbidden addresses are counted and logged (rate-limited). */
    private StateValue screen(ClusterState cs, StateKey key, StateValue raw) {
        AddressScreen.Screened s = AddressScreen.screen(raw, localVips);
        for (AddressScreen.Rejection r : s.rejected()) {
            cs.addressesRejected.merge(r.kind(), 1L, Long::sum);
            addressesRejected++;
            if (addressesRejected <= LOGGED_REJECTIONS || addressesRejected % 1000 == 0) {
                LOG.warn(
                        "cluster {} published {} address {} under {}; not used{}",
                        cs.clusterId(),
                        r.kind().label(),
                        r.address().getHostAddress(),
                        key.format(),
                        addressesRejected == LOGGED_REJECTIONS
                                ? " (from now on every 1000th rejected address is logged)"
                                : "");
            }
        }
        return s.value();
    }

    @Override
    public void onSynced(String topic) {
        int id = options.topics().clusterOf(topic);
        synchronized (lock) {
            ClusterState cs = clusters.get(id);
            if (cs != null) {
                cs.transportSynced();
            }
        }
    }

    /** What is held of the cluster stays published, but the cluster counts as not synced until it is read again. */
    @Override
    public void onTopicUnreadable(String topic, String reason) {
        int id = options.topics().clusterOf(topic);
        synchronized (lock) {
            ClusterState cs = clusters.get(id);
            if (cs != null) {
                cs.transportLost(reason);
            }
        }
        publish();
    }

    /**
     * The reader stopped and restarts: every cluster counts as not synced until it is read again, and, as when the
     * reader loses the brokers, the time until then is not the clusters' silence.
     */
    @Override
    public void onReaderDown(String reason) {
        onConnected(false);
        synchronized (lock) {
            clusters.values().forEach(cs -> cs.transportLost("the reader restarts: " + reason));
        }
        publish();
    }

    @Override
    public void onPollComplete() {
        publish();
    }

    /** Re-evaluates heartbeat ages (availability, garbage collection); call periodically. */
    public void tick() {
        synchronized (lock) {
            Instant now = now();
            var it = clusters.values().iterator();
            while (it.hasNext()) {
                ClusterState cs = it.next();
                Duration silence = cs.silence(now);
                if (silence.compareTo(options.forgetAfter()) > 0) {
                    LOG.warn("dropping cluster {}: silent for {}", cs.clusterId(), silence);
                    it.remove();
                    forgotten.add(cs.id);
                    removedSinceSnapshot = true;
                }
            }
        }
        publish();
    }

    /** Drops a cluster now (decommissioned); if it speaks again it is read again from its start. */
    public void forget(int cluster) {
        synchronized (lock) {
            if (clusters.remove(cluster) != null) {
                forgotten.add(cluster);
                removedSinceSnapshot = true;
                LOG.info("cluster {} forgotten on request", cluster);
            }
        }
        publish();
    }

    /** The current snapshot; the same object listeners got last. */
    public MeshSnapshot snapshot() {
        return latest;
    }

    /** Delivers the current snapshot now and every later one, on the thread that made it. */
    public Subscription subscribe(Consumer<MeshSnapshot> listener) {
        synchronized (deliveryLock) {
            deliverPending();
            listeners.add(listener);
            MeshSnapshot current = latest;
            if (current.version() <= deliveredVersion) {
                safely(listener, current);
            }
        }
        return () -> listeners.remove(listener);
    }

    /** Figures for the gateway's metrics; {@code lagByTopic} comes from the transport. */
    public MeshMetrics metrics(Map<String, Long> lagByTopic) {
        synchronized (lock) {
            Instant now = now();
            Map<Integer, ClusterMetrics> per = new HashMap<>();
            for (ClusterState cs : clusters.values()) {
                ClusterStatus st = cs.status(now, options.unavailableAfter());
                per.put(
                        cs.id,
                        new ClusterMetrics(
                                cs.clusterId(),
                                lagByTopic.getOrDefault(options.topics().topicOf(cs.id), -1L),
                                cs.applied,
                                rejectedByCluster.getOrDefault(cs.id, 0L),
                                cs.ignored,
                                st.lastHeartbeatAge(),
                                st.synced(),
                                st.available(),
                                st.epoch(),
                                cs.keys(),
                                cs.overKeyLimit,
                                cs.addressesRejected,
                                Optional.ofNullable(cs.readProblem)));
            }
            return new MeshMetrics(applied, rejected, ignored, per);
        }
    }

    private void publish() {
        synchronized (lock) {
            Instant now = now();
            boolean changed = removedSinceSnapshot || listed != latest.listed();
            Map<Integer, ClusterView> views = new HashMap<>();
            for (ClusterState cs : clusters.values()) {
                ClusterStatus st = cs.status(now, options.unavailableAfter());
                ClusterView before = cs.published;
                if (cs.contentDirty && cs.synced()) {
                    cs.published = cs.build(st);
                    changed = true;
                } else if (before == null
                        || !st.sameGates(before.status())
                        || !before.cluster().equals(cs.clusterId())) {
                    cs.published =
                            before == null ? ClusterView.empty(cs.clusterId(), st) : before.with(cs.clusterId(), st);
                    changed = true;
                }
                views.put(cs.id, cs.published);
            }
            if (!changed) {
                return;
            }
            removedSinceSnapshot = false;
            latest = new MeshSnapshot(latest.version() + 1, now, views, listed);
        }
        synchronized (deliveryLock) {
            deliverPending();
        }
    }

    private void deliverPending() {
        MeshSnapshot s = latest;
        if (s.version() <= deliveredVersion) {
            return;
        }
        deliveredVersion = s.version();
        for (Consumer<MeshSnapshot> l : listeners) {
            safely(l, s);
        }
    }

    private static void safely(Consumer<MeshSnapshot> listener, MeshSnapshot s) {
        try {
            listener.accept(s);
        } catch (RuntimeException e) {
            LOG.warn("a mesh snapshot listener failed on version {}: {}", s.version(), e.toString(), e);
        }
    }

    /** Since when this reader has had no broker connection; null while connected. */
    private Instant blindSince;

    /**
     * A reader cut off from the brokers cannot tell its own outage from the clusters' silence:
     * while it is blind, the clock that ages heartbeats stands still, and when it sees again the
     * blind time is taken off every cluster's silence.
     */
    @Override
    public void onConnected(boolean connected) {
        synchronized (lock) {
            Instant now = options.clock().instant();
            if (!connected && blindSince == null) {
                blindSince = now;
                LOG.warn("no connection to the brokers: remote clusters' availability is held until it is back");
            } else if (connected && blindSince != null) {
                Duration blind = Duration.between(blindSince, now);
                Instant from = blindSince;
                blindSince = null;
                clusters.values().forEach(cs -> cs.discountBlind(from, now));
                LOG.info("connected to the brokers again after {}; that time does not count as silence", blind);
            }
        }
    }

    /**
     * Whether each cluster's topic has a leader that answers now ({@link io.meshgw.mesh.kafka.TopicProbe}). While a
     * cluster's topic has none, as while a broker fails over, its heartbeats cannot arrive: the clock that ages them
     * stands still for that cluster, as it does for every cluster while the reader has no connection at all.
     */
    public void topicReachability(Map<Integer, Boolean> answeringByCluster) {
        topicReachability(answeringByCluster, options.clock().instant());
    }

    /**
     * As {@link #topicReachability(Map)}, for a probe that asked at {@code askedAt}: a leader that did not answer
     * was not answering since the question, not only since the timeout.
     */
    public void topicReachability(Map<Integer, Boolean> answeringByCluster, Instant askedAt) {
        synchronized (lock) {
            Instant now = askedAt;
            answeringByCluster.forEach((id, answering) -> {
                ClusterState cs = clusters.get(id);
                if (cs == null) {
                    return;
                }
                if (!answering) {
                    if (cs.topicUnreachable(now)) {
                        LOG.warn(
                                "the leader of {}'s topic, its transaction coordinator or a broker their writes wait for does not"
                                        + " answer: its silence does not count until they do",
                                cs.clusterId());
                    }
                } else {
                    Duration unreachable = cs.topicReachable(now);
                    if (unreachable != null) {
                        LOG.info(
                                "{}'s topic answers again after {}; that time does not count as silence",
                                cs.clusterId(),
                                unreachable);
                    }
                }
            });
        }
    }

    private Instant now() {
        Instant held = blindSince;
        return held != null ? held : options.clock().instant();
    }
}
