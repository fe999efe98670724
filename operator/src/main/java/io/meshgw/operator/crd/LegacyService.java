package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Kubernetes name for BGP-learned legacy prefixes; healthy only while a selected route exists. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "A Kubernetes name (a headless Service with EndpointSlices) for a datacenter service, resolving to the listed addresses that BGP routes learned from the routers cover.")
@ValidationRule(
        value = "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be a DNS-1035 label (lower-case letters, digits and '-', starting with a letter,"
                + " at most 63 characters): it names the Service the LegacyService becomes")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("lsvc")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class LegacyService extends CustomResource<LegacyServiceSpec, LegacyServiceStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription(
            "Which learned routes are selected, which addresses the name resolves to, and the Service's ports.")
    public LegacyServiceSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("The selected routes and the addresses the name resolves to.")
    public LegacyServiceStatus getStatus() {
        return super.getStatus();
    }
}
