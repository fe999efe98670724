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

/** One BGP session toward a datacenter router. */
@SchemaCustomizer(
        value = SchemaDescription.class,
        input =
                "One BGP session from the gateway to a datacenter router: addresses, ASNs, timers, the TCP-MD5 password, session features and the import and export policies.")
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("bgpp")
@AdditionalPrinterColumn(name = "Peer", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.peerAddress")
@AdditionalPrinterColumn(name = "ASN", type = AdditionalPrinterColumn.Type.INTEGER, jsonPath = ".spec.peerAsn")
@AdditionalPrinterColumn(name = "State", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.sessionState")
@AdditionalPrinterColumn(
        name = "Received",
        type = AdditionalPrinterColumn.Type.INTEGER,
        jsonPath = ".status.receivedPrefixes")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = Crds.READY_COLUMN_PATH)
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = Crds.AGE_COLUMN_PATH)
public class BgpPeer extends CustomResource<BgpPeerSpec, BgpPeerStatus> implements Namespaced {
    @Override
    @JsonPropertyDescription("The session the gateway runs toward the router.")
    public BgpPeerSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription(
            "What the gateway's speaker reports about the session, written by the replica that holds the Lease.")
    public BgpPeerStatus getStatus() {
        return super.getStatus();
    }
}
