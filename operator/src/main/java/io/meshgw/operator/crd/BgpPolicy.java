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

/** An ordered route policy referenced by BgpPeer import/export; the first matching statement decides. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "An ordered route policy that a BgpPeer uses as its importPolicy or exportPolicy: the first statement whose match a route meets decides, and a route that matches no statement is rejected.")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("bgppol")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class BgpPolicy extends CustomResource<BgpPolicySpec, ResourceStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("The policy's statements, evaluated in order.")
    public BgpPolicySpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "Whether the policy is valid; a change is applied through every BgpPeer that references it.")
    public ResourceStatus getStatus() {
        return super.getStatus();
    }
}
