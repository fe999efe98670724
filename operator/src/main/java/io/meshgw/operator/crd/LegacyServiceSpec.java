package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@ValidationRule(
        value =
                "(has(self.prefixes) && size(self.prefixes) > 0) || (has(self.communities) && size(self.communities) > 0)"
                        + " || (has(self.largeCommunities) && size(self.largeCommunities) > 0)",
        message = "select by at least one prefix or community: an empty selection would take every route")
@ValidationRule(
        value = "!has(self.prefixes) || size(self.prefixes) == 0 || !has(self.addresses) || self.addresses.all(a,"
                + " !isIP(a) || self.prefixes.exists(p, isCIDR(p.prefix) && cidr(p.prefix).containsIP(a)))",
        message = "every address must be inside some entry of prefixes: no selected route can cover one outside them",
        fieldPath = ".addresses")
@SchemaCustomizer(value = ItemMaxLength.class, input = "addresses=" + Crds.MAX_ADDRESS_LENGTH)
public class LegacyServiceSpec {
    /** Routes matching any prefix entry and carrying every listed community are selected. */
    @JsonPropertyDescription("Prefix list: a learned route is selected when its prefix matches any entry and it"
            + " carries every listed community. Select by at least one prefix or community.")
    @Size(max = Crds.MAX_RULE_LIST)
    public List<PrefixMatch> prefixes = new ArrayList<>();

    @JsonPropertyDescription(
            "RFC 1997 communities, asn:value with both parts 0..65535, a selected route carries" + " all.")
    public List<@Pattern(Crds.COMMUNITY) String> communities = new ArrayList<>();

    @JsonPropertyDescription("RFC 8092 large communities, global:local1:local2 with each part 0..4294967295, a"
            + " selected route carries all.")
    public List<@Pattern(Crds.LARGE_COMMUNITY) String> largeCommunities = new ArrayList<>();

    /**
     * Host addresses (IPv4 or IPv6, no prefix length) of the legacy service. The name resolves to those a selected
     * route covers; when empty, to the addresses of the selected host routes (/32, /128).
     */
    @JsonPropertyDescription("Host addresses of the legacy service, IPv4 or IPv6 without prefix length, each once."
            + " The name resolves to those a selected route covers; when empty, to the addresses of the selected"
            + " host routes (/32, /128).")
    @Size(max = Crds.MAX_RULE_LIST)
    @ValidationRule(
            value = "self.all(a, isIP(a))",
            message = "every entry of addresses must be an IPv4 or IPv6 host address, without prefix length")
    @ValidationRule(
            value = "self.all(a, !isIP(a) || self.filter(b, isIP(b) && ip(b) == ip(a)).size() == 1)",
            message = "addresses lists an address twice")
    public List<String> addresses = new ArrayList<>();

    @JsonPropertyDescription("Ports of the Service the name becomes, as for a Kubernetes Service.")
    @Required
    @Size(max = Crds.MAX_RULE_LIST)
    @ValidationRule(
            value = "size(self) <= 1 || self.all(p, has(p.name) && p.name != '')",
            message = "every port needs a name when there is more than one")
    @ValidationRule(
            value = "self.all(p, !has(p.name) || self.exists_one(q, has(q.name) && q.name == p.name))",
            message = "port names must be unique")
    public List<Port> ports = new ArrayList<>();

    public enum Protocol {
        TCP,
        UDP
    }

    public static class Port {
        @JsonPropertyDescription("An IANA service name (at most 15 lower-case letters, digits and single '-', with a"
                + " letter), unique among the ports; required when there is more than one port.")
        @Size(max = 15)
        @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
        @ValidationRule(
                value = "self.matches('[a-z]') && !self.contains('--')",
                message = "a port name is an IANA service name: at least one letter, no '--'")
        public String name;

        @JsonPropertyDescription("The port number, 1..65535.")
        @Required
        @Min(1)
        @Max(65535)
        public Integer port;

        @JsonPropertyDescription("TCP or UDP. Default TCP.")
        @Default("TCP")
        public Protocol protocol = Protocol.TCP;
    }
}
