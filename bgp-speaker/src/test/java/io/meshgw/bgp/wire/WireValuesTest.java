package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The wire records that hold arrays compare by content: the RIB interns attribute sets by value,
 * and sessions compare errors. Equal contents are equal with equal hashes; any field differing
 * makes them differ.
 */
class WireValuesTest {

    /**
     * {@code a} equals {@code same} with the same hash, and differs from each of {@code others};
     * the first of them has a different hash too (a hash need not tell every field apart).
     */
    private static void valueSemantics(Object a, Object same, Object... others) {
        assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(null).isNotEqualTo("x");
        for (Object o : others) {
            assertThat(a).isNotEqualTo(o);
        }
        assertThat(a.hashCode()).as("hash of %s vs %s", a, others[0]).isNotEqualTo(others[0].hashCode());
    }

    private static byte[] b(int... v) {
        return WireBytes.bytes(v);
    }

    @Test
    void arrayHoldingRecordsCompareByContent() {
        valueSemantics(
                new PathAttribute.NextHop(b(10, 0, 0, 1)),
                new PathAttribute.NextHop(b(10, 0, 0, 1)),
                new PathAttribute.NextHop(b(10, 0, 0, 2)));
        valueSemantics(
                new PathAttribute.Aggregator(65001, b(10, 0, 0, 1), false),
                new PathAttribute.Aggregator(65001, b(10, 0, 0, 1), false),
                new PathAttribute.Aggregator(65002, b(10, 0, 0, 1), false),
                new PathAttribute.Aggregator(65001, b(10, 0, 0, 2), false),
                new PathAttribute.Aggregator(65001, b(10, 0, 0, 1), true));
        Prefix p = Prefix.parse("2001:db8::/32");
        valueSemantics(
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[16], List.of(p)),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[16], List.of(p)),
                new PathAttribute.MpReachNlri(Afi.IPV4, 1, new byte[16], List.of(p)),
                new PathAttribute.MpReachNlri(Afi.IPV6, 2, new byte[16], List.of(p)),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[32], List.of(p)),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[16], List.of()));
        valueSemantics(
                new PathAttribute.Unknown(0xe0, 99, b(1, 2)),
                new PathAttribute.Unknown(0xe0, 99, b(1, 2)),
                new PathAttribute.Unknown(0xc0, 99, b(1, 2)),
                new PathAttribute.Unknown(0xe0, 98, b(1, 2)),
                new PathAttribute.Unknown(0xe0, 99, b(1, 3)));
        assertThat(new PathAttribute.Unknown(0xe0, 99, b(1, 0xab))).hasToString("Unknown[type=99, flags=0xe0, 01ab]");
        valueSemantics(
                new Capability.Unknown(73, b(1)),
                new Capability.Unknown(73, b(1)),
                new Capability.Unknown(74, b(1)),
                new Capability.Unknown(73, b(2)));
        valueSemantics(
                new Notification(6, 2, b(1)),
                new Notification(6, 2, b(1)),
                new Notification(6, 3, b(1)),
                new Notification(5, 2, b(1)),
                new Notification(6, 2, b(2)));
        assertThat(new Notification(6, 2, b(0xab))).hasToString("Notification[6/2 ab]");
    }

    @Test
    void errorsCompareByWhatGoesOnTheWireNotByTheirReason() {
        BgpError e = new BgpError(3, 1, b(7), BgpError.Handling.SESSION_RESET, "one reason");
        valueSemantics(
                e,
                new BgpError(3, 1, b(7), BgpError.Handling.SESSION_RESET, "another reason"),
                new BgpError(3, 2, b(7), BgpError.Handling.SESSION_RESET, "one reason"),
                new BgpError(2, 1, b(7), BgpError.Handling.SESSION_RESET, "one reason"),
                new BgpError(3, 1, b(8), BgpError.Handling.SESSION_RESET, "one reason"),
                new BgpError(3, 1, b(7), BgpError.Handling.TREAT_AS_WITHDRAW, "one reason"));
        assertThat(e).hasToString("SESSION_RESET 3/1 (one reason) data=07");
        assertThat(new BgpError(3, 9, b(), BgpError.Handling.TREAT_AS_WITHDRAW, "why"))
                .hasToString("TREAT_AS_WITHDRAW 3/9 (why)");
        byte[] data = e.data();
        data[0] = 9;
        assertThat(e.data()).as("a copy").containsExactly(7);
    }

    @Test
    void prefixesClearTheirHostBitsAndHandOutCopies() {
        Prefix p = new Prefix(Afi.IPV4, b(10, 1, 2, 3), 8);
        assertThat(p).isEqualTo(Prefix.parse("10.0.0.0/8")).hasToString("10.0.0.0/8");
        assertThat(p.address()).containsExactly(10, 0, 0, 0);
        p.address()[0] = 11;
        assertThat(p.address()).containsExactly(10, 0, 0, 0);
        assertThat(new Prefix(Afi.IPV4, b(10, 1, 2, 255), 31).address()).containsExactly(10, 1, 2, 254);
        assertThat(p).isNotEqualTo(Prefix.parse("10.0.0.0/9")).isNotEqualTo(Prefix.parse("11.0.0.0/8"));
        assertThat(Prefix.parse("::/0")).isNotEqualTo(Prefix.parse("0.0.0.0/0"));
    }

    @Test
    void everyIpv4PrefixPacksIntoANumberAndBackAndDistinctPrefixesPackApart() {
        java.util.Random random = new java.util.Random(4271);
        java.util.Map<Long, Prefix> seen = new java.util.HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Prefix p = new Prefix(
                    Afi.IPV4,
                    java.nio.ByteBuffer.allocate(4).putInt(random.nextInt()).array(),
                    random.nextInt(33));
            long packed = p.packedIpv4();
            assertThat(packed).isNotNegative();
            assertThat(Prefix.ofPackedIpv4(packed)).isEqualTo(p);
            assertThat(seen.putIfAbsent(packed, p)).isIn(null, p);
        }
        assertThat(Prefix.ofPackedIpv4(Prefix.parse("255.255.255.255/32").packedIpv4()))
                .hasToString("255.255.255.255/32");
        assertThat(Prefix.parse("0.0.0.0/0").packedIpv4()).isZero();
        assertThat(Prefix.parse("2001:db8::/32").packedIpv4())
                .as("IPv6 does not pack")
                .isEqualTo(-1);
    }

    @Test
    void ipv6TextIsCanonical() {
        // RFC 5952 §4: lowercase, the longest run of zero groups compressed, the first of equal runs
        assertThat(Prefix.parse("2001:db8:0:0:1:0:0:1/128")).hasToString("2001:db8::1:0:0:1/128");
        assertThat(Prefix.parse("2001:0:0:1:0:0:0:1/128")).hasToString("2001:0:0:1::1/128");
        assertThat(Prefix.parse("2001:db8:0:1:1:1:1:1/128")).hasToString("2001:db8:0:1:1:1:1:1/128");
        assertThat(Prefix.parse("0:0:0:0:0:0:0:1/128")).hasToString("::1/128");
        assertThat(Prefix.parse("2001:DB8:0:0:0:0:0:0/32")).hasToString("2001:db8::/32");
        assertThat(Prefix.addressText(b(192, 0, 2, 1))).isEqualTo("192.0.2.1");
        assertThat(Prefix.addressText(Prefix.parse("fe80::1/128").address())).isEqualTo("fe80::1");
    }

    @Test
    void prefixHashesSpreadOverHashTableBuckets() {
        // RIBs key millions of prefixes that differ in a few bits; a HashMap of 2^16 buckets
        // must see them spread, not piled on few buckets (random keys fill about 63 %).
        int buckets = 1 << 16;
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < buckets; i++) {
            int h = new Prefix(Afi.IPV4, b(10, i >> 8, i, 0), 24).hashCode();
            used.add((h ^ (h >>> 16)) & (buckets - 1));
        }
        assertThat(used.size()).isGreaterThan(buckets / 2);
        Set<Integer> v6 = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            byte[] a = new byte[16];
            a[0] = 0x20;
            a[1] = 0x01;
            a[6] = (byte) (i >> 8);
            a[7] = (byte) i;
            v6.add(new Prefix(Afi.IPV6, a, 64).hashCode() & 4095);
        }
        assertThat(v6.size()).isGreaterThan(2048);
        assertThat(Prefix.parse("10.0.0.0/8").hashCode())
                .isNotEqualTo(Prefix.parse("10.0.0.0/9").hashCode());
    }

    @Test
    void prefixesANeighborChoseToShareOneHashCodeStayOrderedSoHashMapsKeepThemInATree() {
        List<Prefix> colliding = CollidingPrefixes.of(50_000);
        assertThat(colliding.stream().mapToInt(Prefix::hashCode).distinct().count())
                .as("the attack: one hash code for every prefix")
                .isOne();
        assertThat(new java.util.HashSet<>(colliding)).hasSize(50_000);
        // HashMap turns a crowded bucket into a tree ordered by compareTo: it must agree with equals
        List<Prefix> sorted = colliding.stream().sorted().toList();
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i - 1).compareTo(sorted.get(i))).isNegative();
        }
        Prefix p = colliding.get(123);
        assertThat(p.compareTo(new Prefix(p.afi(), p.address(), p.length()))).isZero();
        assertThat(Prefix.parse("10.0.0.0/8").compareTo(Prefix.parse("2001:db8::/32")))
                .as("IPv4 before IPv6")
                .isNegative();
        assertThat(Prefix.parse("10.0.0.0/8").compareTo(Prefix.parse("10.0.0.0/16")))
                .isNegative();
        assertThat(Prefix.parse("128.0.0.0/8").compareTo(Prefix.parse("10.0.0.0/8")))
                .as("addresses compare unsigned")
                .isPositive();
        var map = new java.util.HashMap<Prefix, Integer>();
        for (int i = 0; i < colliding.size(); i++) {
            map.put(colliding.get(i), i);
        }
        assertThat(map.get(colliding.get(49_999))).isEqualTo(49_999);
        assertThat(map).doesNotContainKey(Prefix.parse("2001:db8::1/128"));
    }
}
