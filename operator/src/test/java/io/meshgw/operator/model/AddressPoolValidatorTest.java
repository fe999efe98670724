package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.crd.MeshServiceExportSpec;
import io.meshgw.operator.model.AddressPool.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPoolValidatorTest {
    static AddressPool pool(Kind kind, String name, List<String> cidrs, AddressPoolSpec.Range... ranges) {
        var spec = new AddressPoolSpec();
        spec.cidrs.addAll(cidrs);
        spec.ranges.addAll(List.of(ranges));
        return new AddressPool(kind, name, spec);
    }

    final AddressPool vips = pool(
            Kind.LegacyVipPool,
            "dc-vips",
            List.of("192.0.2.0/25", "2001:db8:1::/64"),
            new AddressPoolSpec.Range("198.51.100.10", "198.51.100.20"));
    final AddressPool egress = pool(Kind.EgressIpPool, "egress", List.of("192.0.2.128/25"));

    @Test
    void disjointPoolsAreValid() {
        var all = List.of(vips, egress);
        assertThat(AddressPoolValidator.validate(vips, all).messages()).isEmpty();
        assertThat(AddressPoolValidator.validate(egress, all).messages()).isEmpty();
    }

    @Test
    void overlapAcrossKindsIsReportedOnEachSide() {
        var wide = pool(Kind.EgressIpPool, "wide", List.of("192.0.2.0/24"));
        var all = List.of(vips, wide);
        assertThat(AddressPoolValidator.validate(wide, all).messages())
                .containsExactly(
                        "spec.cidrs[0]: 192.0.2.0/24 overlaps LegacyVipPool 'dc-vips' (spec.cidrs[0]: 192.0.2.0/25)");
        assertThat(AddressPoolValidator.validate(vips, all).messages())
                .containsExactly(
                        "spec.cidrs[0]: 192.0.2.0/25 overlaps EgressIpPool 'wide' (spec.cidrs[0]: 192.0.2.0/24)");
    }

    @Test
    void rangeOverlappingACidrIsReported() {
        var other = pool(
                Kind.LegacyVipPool, "other", List.of(), new AddressPoolSpec.Range("198.51.100.20", "198.51.100.30"));
        assertThat(AddressPoolValidator.validate(other, List.of(vips, other)).messages())
                .containsExactly("spec.ranges[0]: 198.51.100.20-198.51.100.30 overlaps LegacyVipPool 'dc-vips'"
                        + " (spec.ranges[0]: 198.51.100.10-198.51.100.20)");
    }

    @Test
    void overlapInsideOnePoolIsReported() {
        var self = pool(Kind.EgressIpPool, "self", List.of("10.0.0.0/16", "10.0.1.0/24"));
        assertThat(AddressPoolValidator.validate(self, List.of(self)).messages())
                .containsExactly("spec.cidrs[0]: 10.0.0.0/16 overlaps spec.cidrs[1] of the same pool");
    }

    @Test
    void malformedEntriesAreReported() {
        var bad = pool(
                Kind.LegacyVipPool,
                "bad",
                List.of("10.0.0.1/24", "10.0.0.0"),
                new AddressPoolSpec.Range("10.1.0.9", "10.1.0.1"),
                new AddressPoolSpec.Range("10.2.0.1", "2001:db8::1"),
                new AddressPoolSpec.Range("vip.example", "10.3.0.1"));
        assertThat(AddressPoolValidator.validate(bad, List.of(bad)).messages())
                .containsExactly(
                        "spec.cidrs[0]: '10.0.0.1/24' has host bits set",
                        "spec.cidrs[1]: '10.0.0.0' is not a CIDR (address/length)",
                        "spec.ranges[0]: first 10.1.0.9 is after last 10.1.0.1",
                        "spec.ranges[1]: first and last are of different address families",
                        "spec.ranges[2].first: 'vip.example' is not an IPv4 or IPv6 address");
        assertThat(AddressPoolValidator.validate(pool(Kind.EgressIpPool, "empty", List.of()), List.of())
                        .messages())
                .containsExactly("spec: a pool needs at least one entry in cidrs or ranges");
    }

    static MeshServiceExportSpec export(String poolRef, String vip) {
        var spec = new MeshServiceExportSpec();
        spec.legacy = new MeshServiceExportSpec.LegacyExposure();
        spec.legacy.poolRef = poolRef;
        spec.legacy.requestedVip = vip;
        return spec;
    }

    @Test
    void requestedVipInsideItsPoolIsValid() {
        var pools = List.of(vips, egress);
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "192.0.2.7"), pools)
                        .isValid())
                .isTrue();
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "198.51.100.20"), pools)
                        .isValid())
                .isTrue();
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "2001:db8:1::80"), pools)
                        .isValid())
                .isTrue();
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", null), pools)
                        .isValid())
                .isTrue();
    }

    @Test
    void requestedVipOutsideEveryPoolIsRejected() {
        var pools = List.of(vips, egress);
        // Inside an egress pool still counts as outside every VIP pool.
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "192.0.2.200"), pools)
                        .messages())
                .containsExactly("spec.legacy.requestedVip: 192.0.2.200 is outside every LegacyVipPool");
        var second = pool(Kind.LegacyVipPool, "second", List.of("203.0.113.0/24"));
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "203.0.113.5"), List.of(vips, second))
                        .messages())
                .containsExactly(
                        "spec.legacy.requestedVip: 203.0.113.5 is not in LegacyVipPool 'dc-vips' but in LegacyVipPool 'second'");
        assertThat(AddressPoolValidator.requestedVip(export("dc-vips", "vip.local"), pools)
                        .messages())
                .containsExactly("spec.legacy.requestedVip: 'vip.local' is not an IPv4 or IPv6 address");
    }
}
