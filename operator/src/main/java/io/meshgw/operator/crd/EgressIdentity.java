package io.meshgw.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A workload identity whose traffic toward legacy prefixes leaves with one stable source IP. */
@Group(Crds.GROUP)
@Version(Crds.VERSION)
@Categories("meshgw")
@ShortNames("egid")
@AdditionalPrinterColumn(
        name = "SourceIP",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.assignedSourceIp")
@AdditionalPrinterColumn(name = "ServedBy", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.servedBy")
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
public class EgressIdentity extends CustomResource<EgressIdentitySpec, EgressIdentityStatus> implements Namespaced {}
