package io.meshgw.bgp.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The matching semantic of prefix-list entries (router ge/le) and of the prefixes they compare. */
class PrefixListTest {

    private static boolean permits(PrefixListEntry entry, String route) {
        return new PrefixList("t", List.of(entry)).permits(RoutePrefix.parse(route));
    }

    /** entry (ge/le -1 = absent), route, matched. */
    @ParameterizedTest(name = "{0} ge {1} le {2} vs {3}: {4}")
    @CsvSource({
        // exact: only the prefix itself
        "10.0.0.0/8,       -1, -1, 10.0.0.0/8,       true",
        "10.0.0.0/8,       -1, -1, 10.1.0.0/16,      false",
        "10.0.0.0/8,       -1, -1, 10.0.0.0/7,       false",
        // ge alone: ge .. the family's maximum
        "192.0.2.0/24,     28, -1, 192.0.2.16/28,    true",
        "192.0.2.0/24,     28, -1, 192.0.2.16/32,    true",
        "192.0.2.0/24,     28, -1, 192.0.2.0/27,     false",
        "192.0.2.0/24,     28, -1, 192.0.2.0/24,     false",
        "2001:db8::/32,    48, -1, 2001:db8:1::/64,  true",
        "2001:db8::/32,    48, -1, 2001:db8::1/128,  true",
        "2001:db8::/32,    48, -1, 2001:db8::/47,    false",
        // le alone: the prefix's own length .. le
        "10.0.0.0/8,       -1, 16, 10.0.0.0/8,       true",
        "10.0.0.0/8,       -1, 16, 10.20.0.0/16,     true",
        "10.0.0.0/8,       -1, 16, 10.20.30.0/24,    false",
        // both: ge .. le, bounds included
        "10.0.0.0/8,       16, 24, 10.1.0.0/16,      true",
        "10.0.0.0/8,       16, 24, 10.1.2.0/24,      true",
        "10.0.0.0/8,       16, 24, 10.0.0.0/15,      false",
        "10.0.0.0/8,       16, 24, 10.1.2.128/25,    false",
        "10.0.0.0/8,       16, 24, 11.0.0.0/16,      false",
        // the default route entries: le 32 is any IPv4 prefix, ge 0 too; le 0 only the default
        "0.0.0.0/0,        -1, 32, 203.0.113.0/24,   true",
        "0.0.0.0/0,         0, -1, 203.0.113.0/24,   true",
        "0.0.0.0/0,        -1,  0, 203.0.113.0/24,   false",
        "0.0.0.0/0,        -1,  0, 0.0.0.0/0,        true",
        "0.0.0.0/0,         0,  0, 10.0.0.0/8,       false",
        "0.0.0.0/0,        -1, 32, ::/0,             false",
        // an entry of one family never matches the other
        "2001:db8::/32,    32, 128, 32.1.13.184/32,  false",
    })
    void entriesMatchTheRouterGeLeSemantic(String prefix, int ge, int le, String route, boolean matched) {
        assertThat(permits(new PrefixListEntry(true, RoutePrefix.parse(prefix), ge, le), route))
                .isEqualTo(matched);
    }

    @Test
    void theLengthRangeOfAnEntryIsWhatItMatches() {
        var exact = PrefixListEntry.permit("10.0.0.0/8");
        assertThat(exact.minLength()).isEqualTo(8);
        assertThat(exact.maxLength()).isEqualTo(8);
        var geOnly = PrefixListEntry.permit("2001:db8::/32", 48, -1);
        assertThat(geOnly.minLength()).isEqualTo(48);
        assertThat(geOnly.maxLength()).isEqualTo(128);
        var leOnly = PrefixListEntry.permit("10.0.0.0/8", -1, 20);
        assertThat(leOnly.minLength()).isEqualTo(8);
        assertThat(leOnly.maxLength()).isEqualTo(20);
    }

    @Test
    void theFirstMatchingEntryDecidesAndNoMatchDenies() {
        var list = new PrefixList(
                "l",
                List.of(PrefixListEntry.deny("10.66.0.0/16", 16, 32), PrefixListEntry.permit("10.0.0.0/8", 8, 32)));
        assertThat(list.permits(RoutePrefix.parse("10.66.1.0/24"))).isFalse();
        assertThat(list.permits(RoutePrefix.parse("10.67.1.0/24"))).isTrue();
        assertThat(list.permits(RoutePrefix.parse("172.16.0.0/12"))).isFalse();
        assertThat(new PrefixList("empty", List.of()).permits(RoutePrefix.parse("10.0.0.0/8")))
                .isFalse();
        // A later deny cannot take back an earlier permit.
        var permitFirst = new PrefixList(
                "p",
                List.of(PrefixListEntry.permit("10.0.0.0/8", 8, 32), PrefixListEntry.deny("10.66.0.0/16", 16, 32)));
        assertThat(permitFirst.permits(RoutePrefix.parse("10.66.1.0/24"))).isTrue();
    }

    /** prefix, ge, le, accepted (the bounds: prefix length <= ge <= le <= family maximum). */
    @ParameterizedTest(name = "{0} ge {1} le {2}: {3}")
    @CsvSource({
        "10.0.0.0/16,   16, 32,  true",
        "10.0.0.0/16,   24, 24,  true",
        "10.0.0.0/16,   15, 24,  false",
        "10.0.0.0/16,   -1, 33,  false",
        "10.0.0.0/16,   25, 24,  false",
        "10.0.0.0/16,   -1, 15,  false",
        "10.0.0.0/16,   33, -1,  false",
        "2001:db8::/32, -1, 128, true",
        "2001:db8::/32, -1, 129, false",
    })
    void entriesOutsideTheFamilysLengthsAreRejected(String prefix, int ge, int le, boolean accepted) {
        RoutePrefix p = RoutePrefix.parse(prefix);
        if (accepted) {
            assertThat(new PrefixListEntry(true, p, ge, le).prefix()).isEqualTo(p);
        } else {
            assertThatThrownBy(() -> new PrefixListEntry(true, p, ge, le))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is invalid: need " + p.length() + " <= ge <= le <= " + p.maxLength());
        }
    }

    @Test
    void aRejectedEntryIsQuotedAsWritten() {
        assertThatThrownBy(() -> PrefixListEntry.permit("10.0.0.0/16", 8, 24))
                .hasMessage("prefix-list entry 10.0.0.0/16 ge 8 le 24 is invalid: need 16 <= ge <= le <= 32");
        assertThatThrownBy(() -> PrefixListEntry.permit("10.0.0.0/16", -1, 40))
                .hasMessage("prefix-list entry 10.0.0.0/16 le 40 is invalid: need 16 <= ge <= le <= 32");
        assertThatThrownBy(() -> PrefixListEntry.permit("10.0.0.0/16", 8, -1))
                .hasMessage("prefix-list entry 10.0.0.0/16 ge 8 is invalid: need 16 <= ge <= le <= 32");
        assertThatThrownBy(() -> PrefixListEntry.permit("10.0.0.0/16", 0, 0))
                .hasMessage("prefix-list entry 10.0.0.0/16 ge 0 le 0 is invalid: need 16 <= ge <= le <= 32");
    }

    @Test
    void coveringMeansSameFamilyAtLeastAsLongAndTheSameLeadingBits() {
        RoutePrefix ten = RoutePrefix.parse("10.0.0.0/8");
        assertThat(ten.covers(RoutePrefix.parse("10.0.0.0/8"))).isTrue();
        assertThat(ten.covers(RoutePrefix.parse("10.255.0.0/16"))).isTrue();
        assertThat(ten.covers(RoutePrefix.parse("11.0.0.0/16"))).isFalse();
        assertThat(ten.covers(RoutePrefix.parse("10.0.0.0/7"))).as("shorter").isFalse();
        assertThat(RoutePrefix.parse("::/0").covers(ten)).as("other family").isFalse();
        assertThat(RoutePrefix.parse("0.0.0.0/0").covers(ten)).isTrue();
    }

    @Test
    void prefixesAreValuesWithHostBitsCleared() {
        RoutePrefix a = RoutePrefix.parse("192.0.2.0/24");
        RoutePrefix b = new RoutePrefix(new byte[] {(byte) 192, 0, 2, 99}, 24);
        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a).hasToString("192.0.2.0/24");
        assertThat(b.network()).containsExactly(192, 0, 2, 0);
        assertThat(a).isNotEqualTo(RoutePrefix.parse("192.0.2.0/25"));
        assertThat(a).isNotEqualTo(RoutePrefix.parse("192.0.3.0/24"));
        assertThat(new HashSet<>(List.of(a, RoutePrefix.parse("192.0.2.0/25"), b)))
                .hasSize(2);
        // Policies key by prefix: neighbouring prefixes must not share a hash.
        Set<Integer> hashes = new HashSet<>();
        for (int i = 0; i < 256; i++) {
            hashes.add(new RoutePrefix(new byte[] {10, (byte) i, 0, 0}, 16 + i % 9).hashCode());
        }
        assertThat(hashes).hasSize(256);
        assertThat(RoutePrefix.parse("10.0.0.1/32").length()).isEqualTo(32);
        assertThat(RoutePrefix.parse("2001:db8::1/128").maxLength()).isEqualTo(128);
        assertThat(RoutePrefix.parse("2001:db8::/32").ipv6()).isTrue();
        assertThat(RoutePrefix.parse("10.0.0.0/8").ipv6()).isFalse();
    }

    @Test
    void badPrefixesAreRejectedWithTheReason() {
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.1/8")).hasMessageContaining("host bits set");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
        assertThatThrownBy(() -> RoutePrefix.parse("::/129")).hasMessageContaining("outside 0..128");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0/-1")).hasMessageContaining("outside 0..32");
        assertThatThrownBy(() -> RoutePrefix.parse("example.com/24")).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> RoutePrefix.parse("/24")).hasMessageContaining("'' is not an IP address");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0")).hasMessageContaining("expected address/length");
        assertThatThrownBy(() -> RoutePrefix.parse("10.0.0.0/x")).hasMessageContaining("no numeric prefix length");
        assertThatThrownBy(() -> new RoutePrefix(new byte[5], 8)).hasMessageContaining("4 or 16 address bytes");
    }
}
