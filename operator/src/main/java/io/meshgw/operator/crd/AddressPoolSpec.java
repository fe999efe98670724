package io.meshgw.operator.crd;

import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** Addresses of a LegacyVipPool or EgressIpPool: CIDRs and/or explicit first..last ranges. */
public class AddressPoolSpec {
    public List<String> cidrs = new ArrayList<>();
    public List<Range> ranges = new ArrayList<>();

    /** Whether the gateway announces the pool's allocated addresses over BGP. */
    public Boolean announce = Boolean.TRUE;

    /** Communities ("asn:value") attached to the announcements. */
    public List<String> communities = new ArrayList<>();

    public static class Range {
        @Required
        public String first;

        @Required
        public String last;

        public Range() {}

        public Range(String first, String last) {
            this.first = first;
            this.last = last;
        }
    }
}
