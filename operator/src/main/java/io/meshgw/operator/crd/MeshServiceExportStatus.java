package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Conditions: Ready, Conflict (MCS: the oldest export's properties win), Degraded (no ready backend in the mesh). */
public class MeshServiceExportStatus extends ResourceStatus {
    @JsonPropertyDescription("The legacy VIP assigned from the pool; it stays with the export, read back from here.")
    public String assignedVip;

    @JsonPropertyDescription("Ready backends of the exported Service in each cluster of the mesh, this one included.")
    public List<ClusterBackends> clusters = new ArrayList<>();

    public static class ClusterBackends {
        @JsonPropertyDescription("Name of the cluster (its MeshCluster's spec.name).")
        public String cluster;

        @JsonPropertyDescription("How many ready endpoints of the Service that cluster has.")
        public Integer readyBackends;
    }
}
