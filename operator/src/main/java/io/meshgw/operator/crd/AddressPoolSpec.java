package io.meshgw.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** Addresses of a LegacyVipPool or EgressIpPool: CIDRs and/or explicit first..last ranges. */
public class AddressPoolSpec {
    @JsonPropertyDescription("CIDRs whose every address belongs to the pool, address/length with the host bits zero,"
            + " IPv4 or IPv6. A pool needs at least one entry in cidrs or ranges.")
    public List<String> cidrs = new ArrayList<>();

    @JsonPropertyDescription("Inclusive first..last ranges of addresses that belong to the pool.")
    public List<Range> ranges = new ArrayList<>();

    /** Whether the gateway announces the pool's allocated addresses over BGP. */
    @JsonPropertyDescription(
            "Whether the gateway announces each allocated address (/32, /128) over BGP. Default" + " true.")
    public Boolean announce = Boolean.TRUE;

    /** Communities ("asn:value") attached to the announcements. */
    @JsonPropertyDescription(
            "RFC 1997 communities, asn:value with both parts 0..65535, attached to the" + " announcements.")
    public List<String> communities = new ArrayList<>();

    public static class Range {
        @JsonPropertyDescription("First address of the range, IPv4 or IPv6.")
        @Required
        public String first;

        @JsonPropertyDescription(
                "Last address of the range (inclusive), of the same family as first and not before" + " it.")
        @Required
        public String last;

        public Range() {}

        public Range(String first, String last) {
            this.first = first;
            this.last = last;
        }
    }
}
