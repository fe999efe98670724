package io.meshgw.operator.model;

import io.meshgw.operator.crd.MeshServiceExportSpec;
import io.meshgw.types.IpAddress;
import java.util.List;

/** Pool syntax, overlap across every pool of both kinds, and VIP requests against pools. */
public final class AddressPoolValidator {
    private AddressPoolValidator() {}

    /**
     * Validates {@code pool} against every pool in the cluster ({@code all} may include {@code pool} itself).
     * Pools of both kinds share one address space: an address must not be both a VIP and an egress source.
     */
    public static Validation validate(AddressPool pool, List<AddressPool> all) {
        var result = syntax(pool);
        var own = pool.entries();
        for (int i = 0; i < own.size(); i++) {
            var entry = own.get(i);
            for (int j = i + 1; j < own.size(); j++) {
                if (entry.range().overlaps(own.get(j).range())) {
                    result = result.and(Validation.of(
                            entry.path(),
                            entry.text() + " overlaps " + own.get(j).path() + " of the same pool"));
                }
            }
            for (var other : all) {
                if (other.kind() == pool.kind() && other.name().equals(pool.name())) continue;
                for (var theirs : other.entries()) {
                    if (entry.range().overlaps(theirs.range())) {
                        result = result.and(Validation.of(
                                entry.path(),
                                entry.text() + " overlaps " + other + " (" + theirs.path() + ": " + theirs.text()
                                        + ")"));
                    }
                }
            }
        }
        return result;
    }

    static Validation syntax(AddressPool pool) {
        var spec = pool.spec();
        var result = Validation.OK;
        if (spec.cidrs.isEmpty() && spec.ranges.isEmpty()) {
            result = Validation.of("spec", "a pool needs at least one entry in cidrs or ranges");
        }
        for (int i = 0; i < spec.cidrs.size(); i++) {
            if (CidrText.parse(spec.cidrs.get(i)) instanceof CidrText.Invalid(String reason)) {
                result = result.and(Validation.of("spec.cidrs[" + i + "]", reason));
            }
        }
        for (int i = 0; i < spec.ranges.size(); i++) {
            var r = spec.ranges.get(i);
            String path = "spec.ranges[" + i + "]";
            var first = BgpPeerValidator.address(path + ".first", r.first, true);
            var last = BgpPeerValidator.address(path + ".last", r.last, true);
            result = result.and(first).and(last);
            if (first.isValid() && last.isValid()) {
                var a = IpAddress.parse(r.first);
                var b = IpAddress.parse(r.last);
                if (a.family() != b.family()) {
                    result = result.and(Validation.of(path, "first and last are of different address families"));
                } else if (a.compareTo(b) > 0) {
                    result = result.and(Validation.of(path, "first " + r.first + " is after last " + r.last));
                }
            }
        }
        return result.and(BgpPolicyValidator.communities("spec.communities", spec.communities));
    }

    /** A requested VIP must be an address inside the referenced LegacyVipPool. */
    public static Validation requestedVip(MeshServiceExportSpec spec, List<AddressPool> pools) {
        if (spec.legacy == null || spec.legacy.requestedVip == null) return Validation.OK;
        String path = "spec.legacy.requestedVip";
        var vip = IpAddress.tryParse(spec.legacy.requestedVip);
        if (vip.isEmpty()) {
            return Validation.of(path, "'" + spec.legacy.requestedVip + "' is not an IPv4 or IPv6 address");
        }
        var vipPools = pools.stream()
                .filter(p -> p.kind() == AddressPool.Kind.LegacyVipPool)
                .toList();
        var containing = vipPools.stream()
                .filter(p -> p.entries().stream().anyMatch(e -> e.range().contains(vip.get())))
                .toList();
        if (containing.isEmpty()) {
            return Validation.of(path, spec.legacy.requestedVip + " is outside every LegacyVipPool");
        }
        if (containing.stream().noneMatch(p -> p.name().equals(spec.legacy.poolRef))) {
            return Validation.of(
                    path,
                    spec.legacy.requestedVip + " is not in LegacyVipPool '" + spec.legacy.poolRef + "' but in "
                            + containing.getFirst());
        }
        return Validation.OK;
    }
}
