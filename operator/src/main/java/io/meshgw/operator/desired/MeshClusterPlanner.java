package io.meshgw.operator.desired;

import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.model.Validation;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import java.util.HashMap;
import java.util.List;

/**
 * MeshClusters: a cluster id travels in every mesh-sync header and a name in every topic name, so both
 * must be unique; the oldest MeshCluster keeps a contested id or name.
 */
final class MeshClusterPlanner {
    private MeshClusterPlanner() {}

    static void plan(Snapshot snapshot, PlanBuilder out) {
        var ids = new HashMap<Integer, String>();
        var names = new HashMap<String, String>();
        for (var cluster :
                snapshot.meshClusters().stream().sorted(Metadata.BY_AGE).toList()) {
            var ref = Metadata.ref(cluster);
            String self = cluster.getMetadata().getName();
            var spec = cluster.getSpec();
            ConditionState ready;
            Validation secrets;
            if (spec == null || spec.clusterId == null || spec.name == null) {
                ready = ConditionState.ready(false, "Invalid", "spec.clusterId and spec.name are required");
            } else if (!(secrets = kafkaSecrets(cluster, snapshot.secretsNamespace())).isValid()) {
                ready = ConditionState.ready(false, "Invalid", String.join("; ", secrets.messages()));
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

    /** The Kafka Secrets must be where the operator reads Secrets; the gateway reads their content. */
    private static Validation kafkaSecrets(MeshCluster cluster, String secretsNamespace) {
        var kafka = cluster.getSpec().kafka;
        if (kafka == null) return Validation.OK;
        var result = Validation.OK;
        if (kafka.tlsSecretRef != null) {
            result = SecretRefs.where("spec.kafka.tlsSecretRef", kafka.tlsSecretRef, cluster, secretsNamespace);
        }
        if (kafka.saslSecretRef != null) {
            result = result.and(
                    SecretRefs.where("spec.kafka.saslSecretRef", kafka.saslSecretRef, cluster, secretsNamespace));
        }
        return result;
    }
}
