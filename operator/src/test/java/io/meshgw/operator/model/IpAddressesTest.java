package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1", "fe80::1:2:3:4"})
    void parsesLiterals(String text) {
        assertThat(IpAddresses.parse(text)).isPresent();
    }

    /** Host names must be rejected, not resolved: "localhost" would otherwise become 127.0.0.1. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "localhost",
                "router1.example.com",
                "10.0.0",
                "10.0.0.256",
                "010.0.0.1",
                "1.2.3.4.5",
                "2001:db8::g",
                "2001:db8:::1",
                "fe80::1%eth0",
                "[::1]",
                "",
                " 10.0.0.1"
            })
    void rejectsNamesAndMalformedText(String text) {
        assertThat(IpAddresses.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "192.0.2.1, 192.0.2.1",
        "2001:db8:0:0:0:0:0:a, 2001:db8::a",
        "2001:DB8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::"
    })
    void formatsCanonically(String text, String canonical) {
        assertThat(IpAddresses.format(IpAddresses.parse(text).orElseThrow())).isEqualTo(canonical);
    }

    @Test
    void convertsNumbersBackToAddresses() {
        var v6 = IpAddresses.parse("2001:db8::ff").orElseThrow();
        assertThat(IpAddresses.fromNumber(IpAddresses.toNumber(v6), 128)).isEqualTo(v6);
        var v4 = IpAddresses.parse("255.0.0.1").orElseThrow();
        assertThat(IpAddresses.fromNumber(IpAddresses.toNumber(v4), 32)).isEqualTo(v4);
        assertThat(IpAddresses.hostPrefix(v4)).isEqualTo("255.0.0.1/32");
    }
}
