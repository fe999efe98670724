package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public class EgressIdentitySpec {
    @Required
    public Selector selector;

    /** Name of an EgressIpPool; ignored when requestedSourceIp is set and inside some pool. */
    public String poolRef;

    public String requestedSourceIp;

    /** Legacy CIDRs whose traffic is SNATed; the rest of the pod's traffic is left alone. */
    @Required
    public List<String> destinations = new ArrayList<>();

    /**
     * Destination ports the selected pods may reach on the legacy side; empty allows every port. Other ports are
     * dropped and counted by the datapath.
     */
    public List<EgressPortRule> allowedPorts = new ArrayList<>();

    public static class Selector {
        /** Defaults to the EgressIdentity's namespace. */
        public String namespace;

        public String serviceAccount;
        public Map<String, String> podLabels = new LinkedHashMap<>();
    }
}
