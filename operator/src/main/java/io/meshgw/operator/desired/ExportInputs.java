package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the exports of one pass read, indexed once: the live exports oldest first, the Services by key, the
 * EndpointSlices by the Service they name, and the other clusters' exports by Service. Without it each export searched
 * every Service and slice, and a pass over N exports cost N².
 */
final class ExportInputs {
    private final List<MeshServiceExport> live;
    /** Each export's creation time, parsed once: the sort and the planner read it many times. */
    private final Map<MeshServiceExport, Instant> createdAt = new IdentityHashMap<>();

    private final Map<ObjectKey, Service> services = new HashMap<>();
    private final Map<ObjectKey, List<EndpointSlice>> slices = new HashMap<>();
    private final Map<ObjectKey, List<RemoteExport>> remotes = new HashMap<>();

    private ExportInputs(Snapshot snapshot, Map<MeshServiceExport, Instant> ages) {
        var alive = new ArrayList<MeshServiceExport>();
        for (var e : snapshot.exports()) {
            if (!Metadata.deleting(e)) {
                alive.add(e);
                var age = ages.get(e);
                createdAt.put(e, age != null ? age : Metadata.createdAt(e));
            }
        }
        alive.sort(
                Comparator.comparing((MeshServiceExport e) -> createdAt.get(e)).thenComparing(Metadata::key));
        live = List.copyOf(alive);
        snapshot.services().forEach(s -> services.put(Metadata.key(s), s));
        for (var slice : snapshot.endpointSlices()) {
            var labels = slice.getMetadata().getLabels();
            var service = labels == null ? null : labels.get(ServiceBackends.SERVICE_NAME_LABEL);
            if (service != null) {
                slices.computeIfAbsent(
                                new ObjectKey(slice.getMetadata().getNamespace(), service), k -> new ArrayList<>())
                        .add(slice);
            }
        }
        int local = snapshot.localCluster().id();
        for (var remote : snapshot.remoteExports()) {
            if (remote.cluster().id() != local) {
                remotes.computeIfAbsent(remote.service(), k -> new ArrayList<>())
                        .add(remote);
            }
        }
    }

    static ExportInputs of(Snapshot snapshot) {
        return new ExportInputs(snapshot, Map.of());
    }

    /**
     * @param previous the inputs of the last pass: an export that is the same instance keeps its parsed age
     */
    static ExportInputs of(Snapshot snapshot, ExportInputs previous) {
        return new ExportInputs(snapshot, previous.createdAt);
    }

    /** The exports not being deleted, oldest first (the order VIPs are kept and conflicts decided in). */
    List<MeshServiceExport> live() {
        return live;
    }

    /** The creation time of a live export (an export's age decides VIP keeping and MCS conflicts). */
    Instant createdAt(MeshServiceExport export) {
        return createdAt.get(export);
    }

    Optional<Service> service(ObjectKey key) {
        return Optional.ofNullable(services.get(key));
    }

    /** The EndpointSlices labelled with this Service's name in its namespace. */
    List<EndpointSlice> slices(ObjectKey service) {
        return slices.getOrDefault(service, List.of());
    }

    /** Other clusters' exports of this Service (this cluster's own, read back from the mesh, left out). */
    List<RemoteExport> remotes(ObjectKey service) {
        return remotes.getOrDefault(service, List.of());
    }
}
