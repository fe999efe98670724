package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Addresses of a LegacyVipPool or EgressIpPool: CIDRs and/or explicit first..last ranges. */
@ValidationRule(
        value = "(has(self.cidrs) ? size(self.cidrs) : 0) + (has(self.ranges) ? size(self.ranges) : 0) > 0",
        message = "a pool needs at least one entry in cidrs or ranges")
@SchemaCustomizer(value = ItemMaxLength.class, input = "cidrs=" + Crds.MAX_CIDR_LENGTH)
public class AddressPoolSpec {
    /** An IPv4 address's text as a number, in CEL: the address has four decimal parts, without leading zeros. */
    private static final String IPV4_NUMBER_FIRST = "(int(self.first.split('.')[0]) * 16777216"
            + " + int(self.first.split('.')[1]) * 65536 + int(self.first.split('.')[2]) * 256"
            + " + int(self.first.split('.')[3]))";

    private static final String IPV4_NUMBER_LAST = "(int(self.last.split('.')[0]) * 16777216"
            + " + int(self.last.split('.')[1]) * 65536 + int(self.last.split('.')[2]) * 256"
            + " + int(self.last.split('.')[3]))";

    @JsonPropertyDescription("CIDRs whose every address belongs to the pool, address/length with the host bits zero,"
            + " IPv4 or IPv6. A pool needs at least one entry in cidrs or ranges.")
    @Size(max = Crds.MAX_RULE_LIST)
    @ValidationRule(
            value = "self.all(c, isCIDR(c) && cidr(c) == cidr(c).masked())",
            message = "every entry of cidrs must be a CIDR, address/length with the host bits zero (e.g."
                    + " 192.0.2.0/28)")
    @ValidationRule(
            value = "self.all(a, !isCIDR(a) || self.filter(b, isCIDR(b) && (cidr(a).containsIP(cidr(b).masked().ip())"
                    + " || cidr(b).containsIP(cidr(a).masked().ip()))).size() == 1)",
            message = "cidrs overlap: an address may be in one entry of a pool only")
    public List<String> cidrs = new ArrayList<>();

    @JsonPropertyDescription("Inclusive first..last ranges of addresses that belong to the pool.")
    @Size(max = Crds.MAX_RULE_LIST)
    public List<Range> ranges = new ArrayList<>();

    /** Whether the gateway announces the pool's allocated addresses over BGP. */
    @JsonPropertyDescription(
            "Whether the gateway announces each allocated address (/32, /128) over BGP. Default" + " true.")
    @Default("true")
    public Boolean announce = Boolean.TRUE;

    /** Communities ("asn:value") attached to the announcements. */
    @JsonPropertyDescription(
            "RFC 1997 communities, asn:value with both parts 0..65535, attached to the" + " announcements.")
    public List<@Pattern(Crds.COMMUNITY) String> communities = new ArrayList<>();

    @ValidationRule(
            value = "!isIP(self.first) || !isIP(self.last) || ip(self.first).family() == ip(self.last).family()",
            message = "first and last must be of the same address family")
    // IPv4 only: Kubernetes' CEL has no order on IP addresses, and an IPv6 address's text is no fixed-width number.
    // The operator checks both families (AddressPoolValidator).
    @ValidationRule(
            value = "!isIP(self.first) || !isIP(self.last) || ip(self.first).family() != 4"
                    + " || ip(self.last).family() != 4 || "
                    + IPV4_NUMBER_FIRST
                    + " <= "
                    + IPV4_NUMBER_LAST,
            message = "first must not be after last")
    public static class Range {
        @JsonPropertyDescription("First address of the range, IPv4 or IPv6.")
        @Required
        @Size(max = Crds.MAX_ADDRESS_LENGTH)
        @ValidationRule(value = "isIP(self)", message = "first must be an IPv4 or IPv6 address")
        public String first;

        @JsonPropertyDescription(
                "Last address of the range (inclusive), of the same family as first and not before" + " it.")
        @Required
        @Size(max = Crds.MAX_ADDRESS_LENGTH)
        @ValidationRule(value = "isIP(self)", message = "last must be an IPv4 or IPv6 address")
        public String last;

        public Range() {}

        public Range(String first, String last) {
            this.first = first;
            this.last = last;
        }
    }
}
