package io.meshgw.operator.crd;

import java.util.ArrayList;
import java.util.List;

/** Conditions: Ready, Conflict (MCS: the oldest export's properties win), Degraded (no ready backend in the mesh). */
public class MeshServiceExportStatus extends ResourceStatus {
    public String assignedVip;
    public List<ClusterBackends> clusters = new ArrayList<>();

    public static class ClusterBackends {
        public String cluster;
        public Integer readyBackends;
    }
}
