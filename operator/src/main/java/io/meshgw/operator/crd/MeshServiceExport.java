package io.meshgw.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("mse")
@AdditionalPrinterColumn(name = "VIP", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.assignedVip")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class MeshServiceExport extends CustomResource<MeshServiceExportSpec, MeshServiceExportStatus>
        implements Namespaced {}
