package io.meshgw.mesh.view;

import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.ServiceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * An immutable, consistent view of all remote clusters: every cluster as of a complete read of
 * its topic, never half a transaction. Listeners get a new one whenever content or a cluster's
 * synced/available state changes.
 *
 * @param version increases by one with every snapshot
 * @param clusters by cluster id, unavailable ones included (with their status) so the gateway can
 *     report them; use {@link #endpointSlices} or {@link ClusterView#activeSlices} for traffic
 * @param listed the reader has listed the brokers' topics at least once, so {@code clusters} names
 *     every cluster that had a topic then; before that an empty map means "not known yet", not
 *     "no other cluster"
 */
public record MeshSnapshot(long version, Instant at, Map<Integer, ClusterView> clusters, boolean listed) {

    public MeshSnapshot {
        clusters = Map.copyOf(clusters);
    }

    /** The slices of a service in every available cluster, by cluster id. */
    public List<EndpointSlice> endpointSlices(ServiceKey service) {
        List<EndpointSlice> out = new ArrayList<>();
        for (ClusterView c : clusters.values()) {
            for (EndpointSlice s : c.activeSlices().values()) {
                if (s.namespace().equals(service.namespace()) && s.service().equals(service.name())) {
                    out.add(s);
                }
            }
        }
        out.sort(Comparator.comparingInt(EndpointSlice::owningCluster).thenComparing(EndpointSlice::slice));
        return out;
    }

    /**
     * Every other cluster of the mesh was read to its end at least once: the topics were listed and
     * each cluster found is synced. A gateway that plans before this can drop remote backends.
     */
    public boolean synced() {
        return listed && clusters.values().stream().allMatch(c -> c.status().synced());
    }

    public List<ClusterView> available() {
        return clusters.values().stream()
                .filter(c -> c.status().available())
                .sorted(Comparator.comparingInt(c -> c.cluster().id()))
                .toList();
    }
}
