package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.gateway.api.v1.ExplainTarget;
import io.meshgw.gateway.api.v1.IpLiteral;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The literals that routes PREFIX and explain ADDRESS accept, and never a DNS lookup. */
class AddressParsingTest {

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::", "::ffff:192.0.2.1"})
    void literals(String text) {
        assertThat(IpLiteral.parse(text)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.1",
                "10.1.2",
                "1.2.3.256",
                "01.2.3.4",
                "192.0.2.1.5",
                "gw1.example.net",
                "localhost",
                "",
                "2001:db8::1%eth0",
                "2001:db8:::1",
                "[2001:db8::1]",
                "12345::"
            })
    void notLiterals(String text) {
        assertThat(IpLiteral.parse(text)).isEmpty();
    }

    @Test
    void aMappedAddressStaysIpv6() {
        assertThat(IpLiteral.parse("::ffff:192.0.2.1").orElseThrow()).hasSize(16);
    }

    @Test
    void prefixesAreMaskedSoHostBitsDoNotMatter() {
        assertThat(IpPrefix.parse("10.1.2.3/16")).isEqualTo(IpPrefix.parse("10.1.0.0/16"));
        assertThat(IpPrefix.parse("2001:db8:1::/32")).isEqualTo(IpPrefix.parse("2001:db8::/32"));
        assertThat(IpPrefix.parse("10.1.0.0/16")).isNotEqualTo(IpPrefix.parse("10.1.0.0/17"));
    }

    @Test
    void prefixesPrintMasked() {
        assertThat(IpPrefix.parse("10.1.2.3/16").orElseThrow()).hasToString("10.1.0.0/16");
        assertThat(IpPrefix.parse("2001:db8::/32").orElseThrow()).hasToString("2001:db8:0:0:0:0:0:0/32");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0", "10.0.0.0/", "10.0.0.0/-1", "2001:db8::/129", "x/8"})
    void notPrefixes(String text) {
        assertThat(IpPrefix.parse(text)).isEmpty();
    }

    @Test
    void containmentIsPerFamilyAndPerBit() {
        IpPrefix p = IpPrefix.parse("10.1.2.128/25").orElseThrow();

        assertThat(p.contains(IpLiteral.parse("10.1.2.200").orElseThrow())).isTrue();
        assertThat(p.contains(IpLiteral.parse("10.1.2.127").orElseThrow())).isFalse();
        assertThat(p.contains(IpLiteral.parse("::ffff:10.1.2.200").orElseThrow()))
                .isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0")
                        .orElseThrow()
                        .contains(IpLiteral.parse("203.0.113.9").orElseThrow()))
                .isTrue();
    }

    @Test
    void prefixesSortIpv4FirstThenByAddressThenShorterFirst() {
        assertThat(IpPrefix.parse("10.0.0.0/8").orElseThrow())
                .isLessThan(IpPrefix.parse("10.0.0.0/16").orElseThrow())
                .isLessThan(IpPrefix.parse("192.0.2.0/24").orElseThrow())
                .isLessThan(IpPrefix.parse("::/0").orElseThrow());
        assertThat(IpPrefix.parse("128.0.0.0/1").orElseThrow()) // unsigned bytes
                .isGreaterThan(IpPrefix.parse("10.0.0.0/8").orElseThrow());
    }

    @Test
    void explainTargets() {
        assertThat(ExplainTarget.parse("192.0.2.1"))
                .hasValueSatisfying(t -> assertThat(t.port()).isEmpty());
        assertThat(ExplainTarget.parse("192.0.2.1:80"))
                .hasValueSatisfying(t -> assertThat(t.port()).isEqualTo(OptionalInt.of(80)));
        assertThat(ExplainTarget.parse("2001:db8::1"))
                .hasValueSatisfying(t -> assertThat(t.address()).hasSize(16));
        assertThat(ExplainTarget.parse("[2001:db8::1]")).isPresent();
        assertThat(ExplainTarget.parse("[2001:db8::1]:443"))
                .hasValueSatisfying(t -> assertThat(t.port()).isEqualTo(OptionalInt.of(443)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "192.0.2.1:0",
                "192.0.2.1:65536",
                "192.0.2.1:",
                "192.0.2.1:http",
                "[192.0.2.1]:80",
                "[2001:db8::1]:",
                "[2001:db8::1",
                "gw1:80",
                "10.1:80",
                "2001:db8::1]:80"
            })
    void notExplainTargets(String text) {
        assertThat(ExplainTarget.parse(text)).isEmpty();
    }
}
