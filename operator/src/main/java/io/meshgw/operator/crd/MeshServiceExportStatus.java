package io.meshgw.operator.crd;

import java.util.ArrayList;
import java.util.List;

/** Conditions: Valid, Exported, Conflict (MCS: the oldest export's properties win), Announced. */
public class MeshServiceExportStatus extends ResourceStatus {
    public String assignedVip;
    public List<ClusterBackends> clusters = new ArrayList<>();

    public static class ClusterBackends {
        public String cluster;
        public Integer readyBackends;
    }
}
