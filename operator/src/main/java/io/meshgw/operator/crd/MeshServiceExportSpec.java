package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

public class MeshServiceExportSpec {
    /** Service port names to export; empty exports every port. */
    @JsonPropertyDescription("Names of the Service's ports to export; empty exports every port.")
    @Size(max = Crds.MAX_RULE_LIST)
    @ValidationRule(value = "self.all(p, self.exists_one(q, q == p))", message = "ports lists a port name twice")
    public List<@Pattern(Crds.DNS_LABEL) String> ports = new ArrayList<>();

    /** Exposure to the legacy datacenter; absent means mesh-only. */
    @JsonPropertyDescription("Exposure to the legacy datacenter on a VIP; absent means mesh-only.")
    public LegacyExposure legacy;

    public static class LegacyExposure {
        /** Name of a LegacyVipPool. */
        @JsonPropertyDescription("Name of the LegacyVipPool the VIP comes from.")
        @Required
        @Pattern(Crds.OBJECT_NAME)
        @Size(max = 253)
        public String poolRef;

        /** A specific VIP inside the pool; any free one when absent. */
        @JsonPropertyDescription("A specific VIP, IPv4 or IPv6, inside the pool named by poolRef; any free address of"
                + " the pool when absent.")
        @Size(max = Crds.MAX_ADDRESS_LENGTH)
        @ValidationRule(value = "isIP(self)", message = "requestedVip must be an IPv4 or IPv6 address")
        public String requestedVip;
    }
}
