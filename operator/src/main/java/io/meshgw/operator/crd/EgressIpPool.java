package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Stable legacy source addresses handed out to egress identities. Cluster-scoped: pools must not overlap cluster-wide. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "Cluster-scoped pool of stable source addresses handed out to EgressIdentities. No address may be in two pools of either kind (EgressIpPool, LegacyVipPool).")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("egpool")
@AdditionalPrinterColumn(name = "Announce", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".spec.announce")
@AdditionalPrinterColumn(
        name = "Allocated",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.allocated")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class EgressIpPool extends CustomResource<EgressIpPoolSpec, AddressPoolStatus> {
    @Override
    @JsonPropertyDescription("The pool's addresses, how they are announced, and the namespaces it serves.")
    public EgressIpPoolSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("How many of the pool's addresses are allocated and available.")
    public AddressPoolStatus getStatus() {
        return super.getStatus();
    }
}
