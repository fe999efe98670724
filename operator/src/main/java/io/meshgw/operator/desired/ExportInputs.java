package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.ClusterId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the exports read, indexed, and kept up to date from one snapshot to the next: the live exports oldest first,
 * the Services by key, the EndpointSlices by the Service they name, and the other clusters' exports by Service. An
 * update looks only at the objects that changed ({@link ListChanges}) and says which Services they concern, so a pass
 * plans those exports and no others. Without the index each export searched every Service and slice (N²); without
 * the update each pass indexed everything again (N).
 *
 * <p>Lists under one key are sorted (slices by name, remote exports by cluster), so what an export reads does not
 * depend on the order objects arrived in. One instance belongs to one {@link Planner}.
 */
final class ExportInputs {

    /** Oldest first, then by key: the order in which exports keep VIPs and win conflicts. */
    private final List<MeshServiceExport> live = new ArrayList<>();

    private final Map<ObjectKey, MeshServiceExport> liveByKey = new HashMap<>();
    /** Where each live export is in {@link #live}. */
    private final Map<ObjectKey, Integer> position = new HashMap<>();
    /** Each live export's creation time, parsed once. */
    private final Map<MeshServiceExport, Instant> createdAt = new IdentityHashMap<>();

    private final Map<ObjectKey, Service> services = new HashMap<>();
    private final Map<ObjectKey, List<EndpointSlice>> slices = new HashMap<>();
    private final Map<ObjectKey, List<RemoteExport>> remotes = new HashMap<>();
    private ClusterId localCluster;

    private static final Comparator<EndpointSlice> SLICE_ORDER =
            Comparator.comparing(s -> s.getMetadata().getName());
    private static final Comparator<RemoteExport> REMOTE_ORDER =
            Comparator.comparingInt((RemoteExport r) -> r.cluster().id()).thenComparing(RemoteExport::exportedAt);

    /**
     * What one update changed.
     *
     * @param everything the index was built afresh: every export is to be planned
     * @param dirty the Services whose export, Service, slices or remote exports changed
     * @param exports the export objects that went and came
     * @param reordered the live exports are another list than before (not only replaced in place)
     */
    record Update(
            boolean everything, Set<ObjectKey> dirty, ListChanges<MeshServiceExport> exports, boolean reordered) {}

    /** Brings the index from {@code before} (null: nothing indexed yet) to {@code after}. */
    Update update(Snapshot before, Snapshot after) {
        if (before == null || !before.localCluster().equals(after.localCluster())) {
            rebuild(after);
            return new Update(true, new HashSet<>(liveByKey.keySet()), ListChanges.none(), true);
        }
        Set<ObjectKey> dirty = new HashSet<>();
        var exports = ListChanges.byIdentity(before.exports(), after.exports());
        boolean reordered = updateExports(exports, dirty);
        var serviceChanges = ListChanges.byIdentity(before.services(), after.services());
        for (var s : serviceChanges.removed()) {
            var key = Metadata.key(s);
            services.remove(key, s);
            dirty.add(key);
        }
        for (var s : serviceChanges.added()) {
            var key = Metadata.key(s);
            services.put(key, s);
            dirty.add(key);
        }
        var sliceChanges = ListChanges.byIdentity(before.endpointSlices(), after.endpointSlices());
        for (var s : sliceChanges.removed()) {
            serviceOf(s).ifPresent(key -> {
                remove(slices, key, s);
                dirty.add(key);
            });
        }
        for (var s : sliceChanges.added()) {
            serviceOf(s).ifPresent(key -> {
                add(slices, key, s, SLICE_ORDER);
                dirty.add(key);
            });
        }
        var remoteChanges = ListChanges.byEquality(before.remoteExports(), after.remoteExports());
        for (var r : remoteChanges.removed()) {
            if (r.cluster().id() != localCluster.id()) {
                remove(remotes, r.service(), r);
                dirty.add(r.service());
            }
        }
        for (var r : remoteChanges.added()) {
            if (r.cluster().id() != localCluster.id()) {
                add(remotes, r.service(), r, REMOTE_ORDER);
                dirty.add(r.service());
            }
        }
        return new Update(false, dirty, exports, reordered);
    }

    /**
     * An export replaced by a newer version of itself (same key, same age, both live) stays in its place; anything
     * else sorts the live list again. Returns whether it was sorted.
     */
    private boolean updateExports(ListChanges<MeshServiceExport> changes, Set<ObjectKey> dirty) {
        if (changes.isEmpty()) {
            return false;
        }
        Map<ObjectKey, MeshServiceExport> gone = new HashMap<>();
        for (var e : changes.removed()) {
            dirty.add(Metadata.key(e));
            if (createdAt.containsKey(e)) {
                gone.put(Metadata.key(e), e);
            }
        }
        boolean inPlace = gone.size() == changes.removed().size();
        List<MeshServiceExport> replacements = new ArrayList<>();
        for (var e : changes.added()) {
            var key = Metadata.key(e);
            dirty.add(key);
            var old = gone.get(key);
            if (old == null || Metadata.deleting(e) || !Metadata.createdAt(e).equals(createdAt.get(old))) {
                inPlace = false;
            } else {
                replacements.add(e);
            }
        }
        inPlace &= replacements.size() == changes.removed().size();
        if (inPlace) {
            for (var e : replacements) {
                var key = Metadata.key(e);
                var old = gone.get(key);
                var age = createdAt.remove(old);
                createdAt.put(e, age);
                liveByKey.put(key, e);
                live.set(position.get(key), e);
            }
            return false;
        }
        var all = new ArrayList<MeshServiceExport>(live.size() + changes.added().size());
        var removed = java.util.Collections.newSetFromMap(new IdentityHashMap<MeshServiceExport, Boolean>());
        removed.addAll(changes.removed());
        for (var e : live) {
            if (!removed.contains(e)) {
                all.add(e);
            }
        }
        for (var e : changes.removed()) {
            createdAt.remove(e);
        }
        for (var e : changes.added()) {
            if (!Metadata.deleting(e)) {
                all.add(e);
            }
        }
        index(all);
        return true;
    }

    private void rebuild(Snapshot snapshot) {
        localCluster = snapshot.localCluster();
        createdAt.clear();
        var all = new ArrayList<MeshServiceExport>();
        for (var e : snapshot.exports()) {
            if (!Metadata.deleting(e)) {
                all.add(e);
            }
        }
        index(all);
        services.clear();
        snapshot.services().forEach(s -> services.put(Metadata.key(s), s));
        slices.clear();
        for (var slice : snapshot.endpointSlices()) {
            serviceOf(slice).ifPresent(key -> add(slices, key, slice, SLICE_ORDER));
        }
        remotes.clear();
        for (var remote : snapshot.remoteExports()) {
            if (remote.cluster().id() != localCluster.id()) {
                add(remotes, remote.service(), remote, REMOTE_ORDER);
            }
        }
    }

    /** Sorts the live exports and indexes them by key and position. */
    private void index(List<MeshServiceExport> exports) {
        for (var e : exports) {
            createdAt.computeIfAbsent(e, Metadata::createdAt);
        }
        exports.sort(
                Comparator.comparing((MeshServiceExport e) -> createdAt.get(e)).thenComparing(Metadata::key));
        live.clear();
        live.addAll(exports);
        liveByKey.clear();
        position.clear();
        for (int i = 0; i < live.size(); i++) {
            var key = Metadata.key(live.get(i));
            liveByKey.put(key, live.get(i));
            position.put(key, i);
        }
    }

    private static Optional<ObjectKey> serviceOf(EndpointSlice slice) {
        var labels = slice.getMetadata().getLabels();
        var service = labels == null ? null : labels.get(ServiceBackends.SERVICE_NAME_LABEL);
        return service == null
                ? Optional.empty()
                : Optional.of(new ObjectKey(slice.getMetadata().getNamespace(), service));
    }

    private static <T> void add(Map<ObjectKey, List<T>> index, ObjectKey key, T item, Comparator<T> order) {
        var list = index.computeIfAbsent(key, k -> new ArrayList<>(1));
        list.add(item);
        if (list.size() > 1) {
            list.sort(order);
        }
    }

    private static <T> void remove(Map<ObjectKey, List<T>> index, ObjectKey key, T item) {
        var list = index.get(key);
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == item || list.get(i).equals(item)) {
                list.remove(i);
                break;
            }
        }
        if (list.isEmpty()) {
            index.remove(key);
        }
    }

    /** The exports not being deleted, oldest first (the order VIPs are kept and conflicts decided in). */
    List<MeshServiceExport> live() {
        return java.util.Collections.unmodifiableList(live);
    }

    /** The live export of this Service, if any. */
    Optional<MeshServiceExport> live(ObjectKey key) {
        return Optional.ofNullable(liveByKey.get(key));
    }

    /** Where the live export of this Service is in {@link #live()}. */
    int position(ObjectKey key) {
        return position.get(key);
    }

    /** The keys of all live exports. */
    Collection<ObjectKey> liveKeys() {
        return java.util.Collections.unmodifiableSet(liveByKey.keySet());
    }

    /** The creation time of a live export (an export's age decides VIP keeping and MCS conflicts). */
    Instant createdAt(MeshServiceExport export) {
        return createdAt.get(export);
    }

    Optional<Service> service(ObjectKey key) {
        return Optional.ofNullable(services.get(key));
    }

    /** The EndpointSlices labelled with this Service's name in its namespace, by name. */
    List<EndpointSlice> slices(ObjectKey service) {
        return List.copyOf(slices.getOrDefault(service, List.of()));
    }

    /** Other clusters' exports of this Service (this cluster's own, read back from the mesh, left out). */
    List<RemoteExport> remotes(ObjectKey service) {
        return List.copyOf(remotes.getOrDefault(service, List.of()));
    }
}
