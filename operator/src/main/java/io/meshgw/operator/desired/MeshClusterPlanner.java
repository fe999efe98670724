package io.meshgw.operator.desired;

import java.util.HashMap;
import java.util.List;

/**
 * MeshClusters: a cluster id travels in one octet of every mesh-sync header and a name in every topic name, so both
 * must be unique; the oldest MeshCluster keeps a contested id or name.
 */
final class MeshClusterPlanner {
    private MeshClusterPlanner() {}

    static void plan(Snapshot snapshot, DesiredState.Builder out) {
        var ids = new HashMap<Integer, String>();
        var names = new HashMap<String, String>();
        for (var cluster :
                snapshot.meshClusters().stream().sorted(Metadata.BY_AGE).toList()) {
            var ref = Metadata.ref(cluster);
            String self = cluster.getMetadata().getName();
            var spec = cluster.getSpec();
            ConditionState ready;
            if (spec == null || spec.clusterId == null || spec.name == null) {
                ready = ConditionState.ready(false, "Invalid", "spec.clusterId and spec.name are required");
            } else {
                var idOwner = ids.putIfAbsent(spec.clusterId, self);
                var nameOwner = names.putIfAbsent(spec.name, self);
                if (idOwner != null) {
                    ready = ConditionState.ready(
                            false,
                            "DuplicateClusterId",
                            "cluster id " + spec.clusterId + " is taken by MeshCluster " + idOwner);
                } else if (nameOwner != null) {
                    ready = ConditionState.ready(
                            false, "DuplicateName", "name '" + spec.name + "' is taken by MeshCluster " + nameOwner);
                } else {
                    ready = ConditionState.ready(true, "Valid", "cluster " + spec.clusterId + " '" + spec.name + "'");
                }
            }
            out.outcome(new ObjectOutcome(ref, Metadata.generation(cluster), List.of(ready), new StatusFields.None()));
        }
    }
}
