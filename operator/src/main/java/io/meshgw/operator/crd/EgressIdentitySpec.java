package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class EgressIdentitySpec {
    @JsonPropertyDescription("Which pods the identity covers: every Running pod (host-network pods excepted) of the"
            + " namespace that matches all the criteria given.")
    @Required
    public Selector selector;

    /** Name of an EgressIpPool; ignored when requestedSourceIp is set and inside some pool. */
    @JsonPropertyDescription("Name of the EgressIpPool the source address comes from; any ready EgressIpPool when"
            + " absent. Ignored when requestedSourceIp is set and inside some pool.")
    public String poolRef;

    @JsonPropertyDescription("A specific source address, IPv4 or IPv6, inside some EgressIpPool; any free address"
            + " when absent. An address another identity holds is a Conflict (AddressInUse).")
    public String requestedSourceIp;

    /** Legacy CIDRs whose traffic is SNATed; the rest of the pod's traffic is left alone. */
    @JsonPropertyDescription("Legacy CIDRs, address/length with the host bits zero, whose traffic leaves with the"
            + " source address; the rest of the pods' traffic is left alone. At least one; only those of the"
            + " source's family are translated.")
    @Required
    public List<String> destinations = new ArrayList<>();

    /**
     * Destination ports the selected pods may reach on the legacy side; empty allows every port. Other ports are
     * dropped and counted by the datapath.
     */
    @JsonPropertyDescription("Destination ports the selected pods may reach on the legacy side; empty allows every"
            + " port. Other ports are dropped and counted by the datapath.")
    public List<EgressPortRule> allowedPorts = new ArrayList<>();

    public static class Selector {
        /** Defaults to the EgressIdentity's namespace. */
        @JsonPropertyDescription("Namespace of the pods; the EgressIdentity's own namespace when absent.")
        public String namespace;

        @JsonPropertyDescription("Name of the pods' ServiceAccount; any when absent.")
        public String serviceAccount;

        @JsonPropertyDescription("Labels the pods must all carry (equality only); any pod when empty.")
        public Map<String, String> podLabels = new LinkedHashMap<>();
    }
}
