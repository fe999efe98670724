package io.meshgw.mesh.view;

import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.EndpointSliceKey;
import io.meshgw.mesh.state.GatewayAddress;
import io.meshgw.mesh.state.GatewayKey;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.state.SyncedMarker;
import io.meshgw.mesh.wire.RecordHeaders;
import io.meshgw.mesh.wire.ValidRecord;
import io.meshgw.types.ClusterId;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The working state of one remote cluster inside a {@link MeshView}; mutable, guarded by the
 * view's lock, never handed out (a {@link ClusterView} is).
 */
final class ClusterState {

    /**
     * The last record applied to a key. {@code raw} is what the cluster published, {@code null} for a delete (kept
     * for ordering); {@code value} is what of it may be used here (see {@link AddressScreen}), {@code null} when
     * nothing.
     */
    record Entry(long epoch, long seq, StateValue raw, StateValue value, boolean stale) {

        Entry marked() {
            return new Entry(epoch, seq, raw, value, true);
        }
    }

    /** Turns what a cluster published under a key into what may be used here, counting what was taken out. */
    interface Screen {
        StateValue usable(ClusterState cluster, StateKey key, StateValue raw);
    }

    enum Outcome {
        APPLIED,
        IGNORED_OLDER,
        /** A new key beyond the cluster's key limit: not applied. */
        OVER_KEY_LIMIT
    }

    final int id;
    private final Map<StateKey, Entry> entries = new HashMap<>();
    private String name;
    private long highestEpoch;
    private boolean transportSynced;
    private boolean markerSeen;
    private boolean everSynced;
    private Instant lastHeartbeat;
    /** Since when this cluster's topic has had no leader that answers; null while it has one. */
    private Instant unreachableSince;

    Instant createdAt;
    long applied;
    long ignored;
    /** New keys not taken because the cluster held its limit of keys. */
    long overKeyLimit;
    /** Why the reader does not keep this cluster current; null while it does. */
    String readProblem;

    final Map<ForbiddenAddress, Long> addressesRejected = new EnumMap<>(ForbiddenAddress.class);
    boolean contentDirty = true;
    ClusterView published;

    ClusterState(int id, Instant createdAt) {
        this.id = id;
        this.createdAt = createdAt;
    }

    ClusterId clusterId() {
        return name == null ? ClusterId.unnamed(id) : new ClusterId(id, name);
    }

    /**
     * The reader starts the topic again from its beginning. Everything held so far is marked
     * stale: a record read again confirms its key, and the next {@code meta/synced} sweeps what
     * was not confirmed. Until then the last complete view stays published.
     */
    void mark() {
        entries.values().removeIf(e -> e.raw() == null);
        entries.replaceAll((k, e) -> e.marked());
        highestEpoch = 0;
        transportSynced = false;
        markerSeen = false;
    }

    /**
     * Applies a record in (epoch, seq) order. A new deletable key is refused while the cluster holds {@code maxKeys}
     * of them: a cluster that publishes without bound must not exhaust this gateway's memory or its datapath maps.
     */
    Outcome apply(ValidRecord r, Instant now, int maxKeys, Screen screen) {
        RecordHeaders h = r.headers();
        if (h.epoch() < highestEpoch) {
            // Written by an instance older than one whose records were already read: a zombie.
            ignored++;
            return Outcome.IGNORED_OLDER;
        }
        Entry e = entries.get(r.key());
        if (e != null && !e.stale() && !h.after(e.epoch(), e.seq())) {
            ignored++;
            return Outcome.IGNORED_OLDER;
        }
        if (e == null && r.key().deletable() && entries.size() >= maxKeys) {
            overKeyLimit++;
            return Outcome.OVER_KEY_LIMIT;
        }
        highestEpoch = h.epoch();
        StateValue usable = r.value() == null ? null : screen.usable(this, r.key(), r.value());
        entries.put(r.key(), new Entry(h.epoch(), h.seq(), r.value(), usable, false));
        switch (r.value()) {
            case Heartbeat hb -> {
                name = hb.clusterName();
                // Caught up, receipt time is the truth; while catching up an old heartbeat is
                // only as fresh as it claims, and never fresher than now.
                lastHeartbeat = transportSynced || hb.at().isAfter(now) ? now : hb.at();
            }
            case SyncedMarker m -> {
                sweep(m);
                markerSeen = true;
                becameSynced();
            }
            case null, default -> contentDirty = true;
        }
        applied++;
        return Outcome.APPLIED;
    }

    /** Keys the reader holds that the log no longer confirmed since the mark are gone. */
    private void sweep(SyncedMarker m) {
        int before = entries.size();
        entries.values().removeIf(e -> e.stale() || (e.raw() == null && e.epoch() < m.epoch()));
        if (entries.size() < before) {
            contentDirty = true;
        }
    }

    /** The reader no longer keeps this cluster current; it reads it again from the start when it can. */
    void transportLost(String reason) {
        transportSynced = false;
        readProblem = reason;
    }

    void transportSynced() {
        transportSynced = true;
        readProblem = null;
        becameSynced();
    }

    private void becameSynced() {
        if (synced() && !everSynced) {
            everSynced = true;
            contentDirty = true;
        }
    }

    boolean synced() {
        return transportSynced && markerSeen;
    }

    Optional<Duration> heartbeatAge(Instant now) {
        if (lastHeartbeat == null) {
            return Optional.empty();
        }
        Duration age = Duration.between(lastHeartbeat, held(now));
        return Optional.of(age.isNegative() ? Duration.ZERO : age);
    }

    /**
     * The reader had no broker connection from {@code from} to {@code to}: that time does not count as the cluster's
     * silence. Where the silence already stands still because the cluster's topic does not answer, only the blind time
     * before that hold began is taken off, so the last heartbeat stays before the hold and the hold stands until the
     * topic answers (which takes off the rest).
     */
    void discountBlind(Instant from, Instant to) {
        if (!holding()) {
            discountSilence(Duration.between(from, to));
            return;
        }
        Instant heard = lastHeartbeat != null ? lastHeartbeat : createdAt;
        Instant start = from.isAfter(heard) ? from : heard;
        Instant end = to.isBefore(unreachableSince) ? to : unreachableSince;
        if (start.isBefore(end)) {
            discountSilence(Duration.between(start, end));
        }
    }

    /** Time in which the reader could not hear the cluster does not count as its silence. */
    void discountSilence(Duration blind) {
        if (lastHeartbeat != null) {
            lastHeartbeat = lastHeartbeat.plus(blind);
        }
        createdAt = createdAt.plus(blind);
    }

    /** How long the cluster has been silent: since its last heartbeat, or since it appeared. */
    Duration silence(Instant now) {
        return heartbeatAge(now).orElse(Duration.between(createdAt, held(now)));
    }

    /**
     * While the topic cannot be read, the cluster's silence stands where it was when that began; a heartbeat read
     * since then proves it could be read after all, and the silence counts from that heartbeat as usual.
     */
    private Instant held(Instant now) {
        return holding() && unreachableSince.isBefore(now) ? unreachableSince : now;
    }

    private boolean holding() {
        return unreachableSince != null && (lastHeartbeat == null || !lastHeartbeat.isAfter(unreachableSince));
    }

    /** The topic's leader does not answer (say, its broker died): true if that is news. */
    boolean topicUnreachable(Instant now) {
        if (unreachableSince != null) {
            return false;
        }
        unreachableSince = now;
        return true;
    }

    /**
     * The topic's leader answers again: the time it did not is taken off the cluster's silence. Returns that time,
     * or null if the topic was not unreachable.
     */
    Duration topicReachable(Instant now) {
        if (unreachableSince == null) {
            return null;
        }
        Duration unreachable = Duration.between(unreachableSince, now);
        boolean held = holding();
        unreachableSince = null;
        if (held && !unreachable.isNegative()) {
            discountSilence(unreachable);
        }
        return unreachable;
    }

    ClusterStatus status(Instant now, Duration unavailableAfter) {
        Optional<Duration> age = heartbeatAge(now);
        boolean available = everSynced && age.isPresent() && age.get().compareTo(unavailableAfter) <= 0;
        // While re-reading, the epoch is the one of the last complete view, which stays published.
        long epoch = synced() || published == null
                ? highestEpoch
                : published.status().epoch();
        return new ClusterStatus(synced(), available, age, epoch);
    }

    /** Screens every held value again (this gateway's VIPs changed); true if anything usable changed. */
    boolean rescreen(Screen screen) {
        boolean changed = false;
        for (var it = entries.entrySet().iterator(); it.hasNext(); ) {
            var kv = it.next();
            Entry e = kv.getValue();
            if (e.raw() == null) {
                continue;
            }
            StateValue usable = screen.usable(this, kv.getKey(), e.raw());
            if (!Objects.equals(usable, e.value())) {
                kv.setValue(new Entry(e.epoch(), e.seq(), e.raw(), usable, e.stale()));
                changed = true;
            }
        }
        contentDirty |= changed;
        return changed;
    }

    int keys() {
        return (int) entries.values().stream()
                .filter(e -> e.value() != null && e.value().key().deletable())
                .count();
    }

    /** The content as an immutable view; only called when synced, so it is never partial. */
    ClusterView build(ClusterStatus status) {
        Map<ServiceKey, ServiceExport> services = new HashMap<>();
        Map<EndpointSliceKey, EndpointSlice> slices = new HashMap<>();
        Map<GatewayKey, GatewayAddress> gateways = new HashMap<>();
        for (Entry e : entries.values()) {
            switch (e.value()) {
                case ServiceExport s -> services.put(s.key(), s);
                case EndpointSlice s -> slices.put(s.key(), s);
                case GatewayAddress g -> gateways.put(g.key(), g);
                case null, default -> {}
            }
        }
        contentDirty = false;
        return new ClusterView(clusterId(), status, services, slices, gateways);
    }
}
