package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A member of the mesh and how to reach the Kafka cluster its state travels on. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input = "A member cluster of the mesh: its cluster id, its name and the Kafka cluster its state travels on.")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("meshcl")
@AdditionalPrinterColumn(name = "ID", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.clusterId")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class MeshCluster extends CustomResource<MeshClusterSpec, ResourceStatus> {
    @Override
    @JsonPropertyDescription("The cluster's identity in the mesh and how to reach its Kafka cluster.")
    public MeshClusterSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Whether the MeshCluster is valid and unique in the mesh.")
    public ResourceStatus getStatus() {
        return super.getStatus();
    }
}
