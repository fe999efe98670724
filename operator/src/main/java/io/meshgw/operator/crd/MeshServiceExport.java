package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Exports the Service of the same namespace/name to the mesh, like the Multi-Cluster Services API (KEP-1645)
 * ServiceExport. Named MeshServiceExport rather than ServiceExport so that {@code kubectl get serviceexport} stays
 * unambiguous on clusters that also install the upstream multicluster.x-k8s.io CRDs; the semantics (same-name
 * binding, oldest export wins a conflict) follow MCS.
 */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "Exports the Service of the same namespace and name to the other clusters of the mesh (Multi-Cluster Services semantics) and, with legacy, to the datacenter on a VIP.")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("mse")
@AdditionalPrinterColumn(name = "VIP", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.assignedVip")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class MeshServiceExport extends CustomResource<MeshServiceExportSpec, MeshServiceExportStatus>
        implements Namespaced {
    @Override
    @JsonPropertyDescription("Which ports are exported, and whether and how the Service is exposed to the datacenter.")
    public MeshServiceExportSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The VIP assigned to the export and the ready backends of each cluster.")
    public MeshServiceExportStatus getStatus() {
        return super.getStatus();
    }
}
