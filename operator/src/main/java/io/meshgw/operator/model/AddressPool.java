package io.meshgw.operator.model;

import io.meshgw.operator.crd.AddressPoolSpec;
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
            if (Cidr.parse(text) instanceof Cidr.Ok(Cidr cidr)) {
                out.add(new Entry("spec.cidrs[" + i + "]", text, cidr.range()));
            }
        }
        for (int i = 0; i < spec.ranges.size(); i++) {
            var r = spec.ranges.get(i);
            var first = IpAddresses.parse(r.first);
            var last = IpAddresses.parse(r.last);
            if (first.isPresent() && last.isPresent()) {
                var range = AddressRange.of(first.get(), last.get());
                if (IpAddresses.bits(first.get()) == IpAddresses.bits(last.get())
                        && range.first().compareTo(range.last()) <= 0) {
                    out.add(new Entry("spec.ranges[" + i + "]", r.first + "-" + r.last, range));
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return kind + " '" + name + "'";
    }
}
