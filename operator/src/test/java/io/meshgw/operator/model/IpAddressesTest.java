package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
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
}
