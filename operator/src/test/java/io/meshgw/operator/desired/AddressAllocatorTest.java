package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.AddressPoolSpec;
import io.meshgw.operator.desired.AddressAllocator.PoolView;
import io.meshgw.operator.model.AddressPool;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
    static final PoolView A = pool("a", true, "192.0.2.0/30");
    static final PoolView B = pool("b", true, "198.51.100.0/31");

    @Test
    void oldestClaimGetsTheFirstFreeAddress() {
        var result = allocate(List.of(A), claim("late", 2, "a", null, null), claim("early", 1, "a", null, null));
        assertThat(result.get(ref("early"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.0"), "a"));
        assertThat(result.get(ref("late"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.1"), "a"));
    }

    @Test
    void anAssignmentInStatusIsKeptWhenAnOlderObjectAppears() {
        var result = allocate(List.of(A), claim("old", 1, "a", null, null), claim("young", 2, "a", null, "192.0.2.0"));
        assertThat(result.get(ref("young"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.0"), "a"));
        assertThat(result.get(ref("old"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.1"), "a"));
    }

    @Test
    void aRequestedAddressOutsideEveryPoolIsAConflict() {
        var result = allocate(List.of(A, B), claim("x", 1, "a", "203.0.113.5", null));
        assertThat(result.get(ref("x")))
                .isEqualTo(Allocation.Rejected.of("OutsidePools", "203.0.113.5 is outside every LegacyVipPool", true));
    }

    @Test
    void aRequestedAddressHeldByAnotherObjectIsAConflict() {
        var result =
                allocate(List.of(A), claim("holder", 2, "a", null, "192.0.2.2"), claim("x", 1, "a", "192.0.2.2", null));
        assertThat(result.get(ref("x"))).isInstanceOfSatisfying(Allocation.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo("AddressInUse");
            assertThat(r.conflict()).isTrue();
            assertThat(r.message()).contains("MeshServiceExport/ns/holder");
        });
    }

    @Test
    void aRequestedVipMustLieInTheReferencedPool() {
        var result = allocate(List.of(A, B), claim("x", 1, "a", "198.51.100.1", null));
        assertThat(result.get(ref("x"))).isInstanceOfSatisfying(Allocation.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo("NotInPool");
            assertThat(r.conflict()).isFalse();
        });
    }

    @Test
    void anEgressSourceMayBeRequestedFromAnyPool() {
        var claim = new AddressClaim(
                ref("x"), Fixtures.T0, Optional.of("a"), Optional.of("198.51.100.1"), false, Optional.empty());
        var result = AddressAllocator.allocate("EgressIpPool", List.of(A, B), List.of(claim));
        assertThat(result.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("198.51.100.1"), "b"));
    }

    @Test
    void aChangedRequestMovesTheAddress() {
        var result = allocate(List.of(A), claim("x", 1, "a", "192.0.2.3", "192.0.2.0"));
        assertThat(result.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.3"), "a"));
    }

    @Test
    void aFullPoolIsReported() {
        var result = allocate(
                List.of(B),
                claim("x", 1, "b", null, null),
                claim("y", 2, "b", null, null),
                claim("z", 3, "b", null, null));
        assertThat(result.get(ref("y"))).isEqualTo(new Allocation.Assigned(ip("198.51.100.1"), "b"));
        assertThat(result.get(ref("z")))
                .isEqualTo(Allocation.Rejected.of("PoolExhausted", "LegacyVipPool 'b' has no free address", false));
    }

    @Test
    void aPoolThatIsNotReadyHandsOutNothingButKeepsWhatItGave() {
        var broken = pool("a", false, "192.0.2.0/30");
        var result =
                allocate(List.of(broken), claim("has", 1, "a", null, "192.0.2.1"), claim("new", 2, "a", null, null));
        assertThat(result.get(ref("has"))).isInstanceOfSatisfying(Allocation.Rejected.class, r -> {
            assertThat(r.reason()).isEqualTo("PoolNotReady");
            assertThat(r.kept()).contains(ip("192.0.2.1"));
        });
        assertThat(result.get(ref("new")))
                .isEqualTo(Allocation.Rejected.of("PoolNotReady", "LegacyVipPool 'a' is not ready", false));
    }

    @Test
    void aMissingPoolIsReported() {
        var result = allocate(List.of(A), claim("x", 1, "nope", null, null));
        assertThat(result.get(ref("x")))
                .isInstanceOfSatisfying(
                        Allocation.Rejected.class, r -> assertThat(r.reason()).isEqualTo("PoolNotFound"));
    }

    @Test
    void ipv6AddressesAreCanonical() {
        var v6 = pool("v6", true, "2001:db8::/126");
        var result = allocate(
                List.of(v6), claim("x", 1, "v6", null, "2001:db8:0:0:0:0:0:2"), claim("y", 2, "v6", null, null));
        assertThat(result.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("2001:db8::2"), "v6"));
        assertThat(result.get(ref("y"))).isEqualTo(new Allocation.Assigned(ip("2001:db8::"), "v6"));
    }

    @Test
    void withoutAPoolRefTheReadyPoolsAreTriedInNameOrder() {
        var full = pool("a", true, "192.0.2.0/32");
        var result = allocate(List.of(B, full), claim("x", 1, "a", null, null), claim("y", 2, null, null, null));
        assertThat(result.get(ref("y"))).isEqualTo(new Allocation.Assigned(ip("198.51.100.0"), "b"));
    }

    static final PoolView BOTH = pool("both", true, "2001:db8::/127", "192.0.2.0/31");

    static AddressClaim preferring(AddressClaim c, IpFamily... families) {
        return new AddressClaim(
                c.owner(),
                c.createdAt(),
                c.poolRef(),
                c.requested(),
                c.requestedMustBeInPoolRef(),
                c.current(),
                List.of(families));
    }

    @Test
    void aPoolOfBothFamiliesHandsOutThePreferredFamilyFirstThenTheOther() {
        var result = allocate(
                List.of(BOTH),
                preferring(claim("x", 1, "both", null, null), IpFamily.IPV4),
                preferring(claim("y", 2, "both", null, null), IpFamily.IPV4),
                preferring(claim("z", 3, "both", null, null), IpFamily.IPV4),
                claim("any", 4, "both", null, null));
        assertThat(result.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.0"), "both"));
        assertThat(result.get(ref("y"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.1"), "both"));
        assertThat(result.get(ref("z")))
                .as("IPv4 exhausted: the other family rather than nothing")
                .isEqualTo(new Allocation.Assigned(ip("2001:db8::"), "both"));
        assertThat(result.get(ref("any"))).isEqualTo(new Allocation.Assigned(ip("2001:db8::1"), "both"));
    }

    @Test
    void aHeldAddressOfAnotherFamilyMovesToAFreePreferredOneAndStaysWhenNoneIsFree() {
        var moved = allocate(List.of(BOTH), preferring(claim("x", 1, "both", null, "2001:db8::1"), IpFamily.IPV4));
        assertThat(moved.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("192.0.2.0"), "both"));

        var stays = allocate(
                List.of(BOTH),
                preferring(claim("a", 1, "both", null, "192.0.2.0"), IpFamily.IPV4),
                preferring(claim("b", 2, "both", null, "192.0.2.1"), IpFamily.IPV4),
                preferring(claim("x", 3, "both", null, "2001:db8::1"), IpFamily.IPV4));
        assertThat(stays.get(ref("x")))
                .as("no IPv4 address is free: it keeps what it holds, not the lowest IPv6 one")
                .isEqualTo(new Allocation.Assigned(ip("2001:db8::1"), "both"));
    }

    @Test
    void aRequestedAddressOfAnotherFamilyIsGrantedAndKept() {
        var result =
                allocate(List.of(BOTH), preferring(claim("x", 1, "both", "2001:db8::1", "2001:db8::1"), IpFamily.IPV4));
        assertThat(result.get(ref("x"))).isEqualTo(new Allocation.Assigned(ip("2001:db8::1"), "both"));
    }

    static PoolView pool(String name, boolean ready, String... cidrs) {
        var spec = new AddressPoolSpec();
        spec.cidrs.addAll(List.of(cidrs));
        return new PoolView(new AddressPool(AddressPool.Kind.LegacyVipPool, name, spec), ready);
    }

    static ResourceRef ref(String name) {
        return new ResourceRef("MeshServiceExport", new ObjectKey("ns", name));
    }

    static AddressClaim claim(String name, int age, String pool, String requested, String current) {
        return new AddressClaim(
                ref(name),
                Fixtures.T0.plusSeconds(age),
                Optional.ofNullable(pool),
                Optional.ofNullable(requested),
                true,
                Optional.ofNullable(current).map(IpAddress::parse));
    }

    static IpAddress ip(String text) {
        return IpAddress.parse(text);
    }

    static java.util.Map<ResourceRef, Allocation> allocate(List<PoolView> pools, AddressClaim... claims) {
        return AddressAllocator.allocate("LegacyVipPool", pools, List.of(claims));
    }
}
