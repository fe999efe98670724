package io.meshgw.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One BGP session toward a datacenter router. */
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
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class BgpPeer extends CustomResource<BgpPeerSpec, BgpPeerStatus> implements Namespaced {}
