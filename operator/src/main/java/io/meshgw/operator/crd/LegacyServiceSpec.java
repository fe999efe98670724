package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

public class LegacyServiceSpec {
    /** Routes matching any prefix entry and carrying every listed community are selected. */
    @JsonPropertyDescription("Prefix list: a learned route is selected when its prefix matches any entry and it"
            + " carries every listed community. Select by at least one prefix or community.")
    public List<PrefixMatch> prefixes = new ArrayList<>();

    @JsonPropertyDescription(
            "RFC 1997 communities, asn:value with both parts 0..65535, a selected route carries" + " all.")
    public List<String> communities = new ArrayList<>();

    @JsonPropertyDescription("RFC 8092 large communities, global:local1:local2 with each part 0..4294967295, a"
            + " selected route carries all.")
    public List<String> largeCommunities = new ArrayList<>();

    /**
     * Host addresses (IPv4 or IPv6, no prefix length) of the legacy service. The name resolves to those a selected
     * route covers; when empty, to the addresses of the selected host routes (/32, /128).
     */
    @JsonPropertyDescription("Host addresses of the legacy service, IPv4 or IPv6 without prefix length, each once."
            + " The name resolves to those a selected route covers; when empty, to the addresses of the selected"
            + " host routes (/32, /128).")
    public List<String> addresses = new ArrayList<>();

    @JsonPropertyDescription("Ports of the Service the name becomes, as for a Kubernetes Service.")
    @Required
    public List<Port> ports = new ArrayList<>();

    public enum Protocol {
        TCP,
        UDP
    }

    public static class Port {
        @JsonPropertyDescription("An IANA service name (at most 15 lower-case letters, digits and single '-', with a"
                + " letter), unique among the ports; required when there is more than one port.")
        public String name;

        @JsonPropertyDescription("The port number, 1..65535.")
        @Required
        @Min(1)
        @Max(65535)
        public Integer port;

        @JsonPropertyDescription("TCP or UDP. Default TCP.")
        public Protocol protocol = Protocol.TCP;
    }
}
