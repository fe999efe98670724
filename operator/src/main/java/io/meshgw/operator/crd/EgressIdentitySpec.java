package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@ValidationRule(
        value = "!has(self.requestedSourceIp) || !isIP(self.requestedSourceIp) || self.destinations.exists(d,"
                + " isCIDR(d) && cidr(d).ip().family() == ip(self.requestedSourceIp).family())",
        message = "destinations must hold a CIDR of requestedSourceIp's address family: a source translates traffic"
                + " of its own family only",
        fieldPath = ".destinations")
@SchemaCustomizer(value = ItemMaxLength.class, input = "destinations=" + Crds.MAX_CIDR_LENGTH)
public class EgressIdentitySpec {
    @JsonPropertyDescription("Which pods the identity covers: every Running pod (host-network pods excepted) of the"
            + " namespace that matches all the criteria given.")
    @Required
    public Selector selector;

    /** Name of an EgressIpPool; ignored when requestedSourceIp is set and inside some pool. */
    @JsonPropertyDescription("Name of the EgressIpPool the source address comes from; any ready EgressIpPool when"
            + " absent. Ignored when requestedSourceIp is set and inside some pool.")
    @Pattern(Crds.OBJECT_NAME)
    @Size(max = 253)
    public String poolRef;

    @JsonPropertyDescription("A specific source address, IPv4 or IPv6, inside some EgressIpPool; any free address"
            + " when absent. An address another identity holds is a Conflict (AddressInUse).")
    @Size(max = Crds.MAX_ADDRESS_LENGTH)
    @ValidationRule(value = "isIP(self)", message = "requestedSourceIp must be an IPv4 or IPv6 address")
    public String requestedSourceIp;

    /** Legacy CIDRs whose traffic is SNATed; the rest of the pod's traffic is left alone. */
    @JsonPropertyDescription("Legacy CIDRs, address/length with the host bits zero, whose traffic leaves with the"
            + " source address; the rest of the pods' traffic is left alone. At least one; only those of the"
            + " source's family are translated.")
    @Required
    @Size(min = 1, max = Crds.MAX_RULE_LIST)
    @ValidationRule(
            value = "self.all(c, isCIDR(c) && cidr(c) == cidr(c).masked())",
            message =
                    "every entry of destinations must be a CIDR, address/length with the host bits zero (e.g. 10.20.0.0/16)")
    public List<String> destinations = new ArrayList<>();

    /**
     * Destination ports the selected pods may reach on the legacy side; empty allows every port. Other ports are
     * dropped and counted by the datapath.
     */
    @JsonPropertyDescription("Destination ports the selected pods may reach on the legacy side; empty allows every"
            + " port. Other ports are dropped and counted by the datapath.")
    public List<EgressPortRule> allowedPorts = new ArrayList<>();

    public static class Selector {
        /** The EgressIdentity's own namespace; any other is invalid. */
        @JsonPropertyDescription("Namespace of the pods: the EgressIdentity's own namespace, the only one allowed"
                + " (another namespace leaves the identity Ready=False/NamespaceNotAllowed). May be left out.")
        @Pattern(Crds.DNS_LABEL)
        public String namespace;

        @JsonPropertyDescription("Name of the pods' ServiceAccount; any when absent.")
        @Pattern(Crds.OBJECT_NAME)
        @Size(max = 253)
        public String serviceAccount;

        @JsonPropertyDescription("Labels the pods must all carry (equality only); any pod when empty.")
        public Map<String, String> podLabels = new LinkedHashMap<>();
    }
}
