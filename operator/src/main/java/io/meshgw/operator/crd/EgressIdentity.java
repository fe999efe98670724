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

/** A workload identity whose traffic toward legacy prefixes leaves with one stable source IP. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "A workload identity (namespace, service account, pod labels) whose traffic toward legacy destinations leaves the cluster with one stable source address from an EgressIpPool.")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("egid")
@AdditionalPrinterColumn(
        name = "SourceIP",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.assignedSourceIp")
@AdditionalPrinterColumn(name = "ServedBy", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.servedBy")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class EgressIdentity extends CustomResource<EgressIdentitySpec, EgressIdentityStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("Which pods, toward which destinations and ports, with which source address.")
    public EgressIdentitySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The source address assigned to the identity and the replica that translates to it.")
    public EgressIdentityStatus getStatus() {
        return super.getStatus();
    }
}
