package io.meshgw.operator.model;

import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.EgressIpPoolSpec;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.ArrayList;
import java.util.List;

/** A LegacyVipPool or EgressIpPool reduced to what pool rules need. */
public record AddressPool(Kind kind, String name, AddressPoolSpec spec) {
    public enum Kind {
        LegacyVipPool,
        EgressIpPool
    }

    /** One well-formed entry of a pool, with the field path it came from. */
    public record Entry(String path, String text, AddressRange range) {}

    /** The entries that parse; malformed ones are reported by {@link AddressPoolValidator}. */
    public List<Entry> entries() {
        var out = new ArrayList<Entry>();
        for (int i = 0; i < spec.cidrs.size(); i++) {
            String text = spec.cidrs.get(i);
            if (CidrText.parse(text) instanceof CidrText.Ok(IpPrefix prefix)) {
                out.add(new Entry("spec.cidrs[" + i + "]", text, AddressRange.of(prefix)));
            }
        }
        for (int i = 0; i < spec.ranges.size(); i++) {
            var r = spec.ranges.get(i);
            var first = IpAddress.tryParse(r.first);
            var last = IpAddress.tryParse(r.last);
            if (first.isPresent()
                    && last.isPresent()
                    && first.get().family() == last.get().family()
                    && first.get().compareTo(last.get()) <= 0) {
                out.add(new Entry(
                        "spec.ranges[" + i + "]", r.first + "-" + r.last, AddressRange.of(first.get(), last.get())));
            }
        }
        return out;
    }

    /**
     * Whether an object of {@code namespace} may take an address of this pool. An EgressIpPool serves the namespaces
     * its spec names (a source address is what legacy firewalls trust); a LegacyVipPool serves every namespace, as
     * a VIP only receives traffic for its own export and an address another export holds stays with it.
     */
    public boolean allows(String namespace) {
        return kind == Kind.LegacyVipPool || spec instanceof EgressIpPoolSpec egress && egress.allows(namespace);
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
