package io.meshgw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpPrefixTest {

    @Test
    void parsesNetworksAndBareAddressesAsHostPrefixes() {
        assertThat(IpPrefix.parse("10.0.0.0/8")).isEqualTo(new IpPrefix(new Ipv4Address(0x0a000000), 8));
        assertThat(IpPrefix.parse("192.0.2.7")).hasToString("192.0.2.7/32");
        assertThat(IpPrefix.parse("192.0.2.7").host()).isTrue();
        assertThat(IpPrefix.parse("2001:db8::/32")).hasToString("2001:db8::/32");
        assertThat(IpPrefix.parse("::/0").length()).isZero();
        assertThat(IpPrefix.parse("2001:db8::1").host()).isTrue();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.1/24|host bits set (the network is 10.0.0.0/24)",
                "10.0.0.0/33|invalid prefix length (0..32 for IPv4)",
                "2001:db8::/129|invalid prefix length (0..128 for IPv6)",
                "10.0.0.0/|invalid prefix length",
                "10.0.0.0/08|invalid prefix length",
                "10.0.0.0/-1|invalid prefix length",
                "10.0.0.0/2a|invalid prefix length",
                "ten/8|is not an IPv4 address",
                "2001:db8::1/64|host bits set"
            })
    void refusesWhatIsNotACanonicalPrefixAndSaysWhy(String text, String reason) {
        assertThatThrownBy(() -> IpPrefix.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void theConstructorRefusesHostBitsAndCoveringClearsThem() {
        assertThatThrownBy(() -> new IpPrefix(IpAddress.parse("10.0.0.1"), 8)).hasMessageContaining("host bits");
        assertThat(IpPrefix.covering(IpAddress.parse("10.9.8.7"), 16)).hasToString("10.9.0.0/16");
    }

    @Test
    void containmentIsPerFamilyAndByLength() {
        IpPrefix lan = IpPrefix.parse("192.0.2.0/24");
        assertThat(lan.contains(IpAddress.parse("192.0.2.255"))).isTrue();
        assertThat(lan.contains(IpAddress.parse("192.0.3.0"))).isFalse();
        assertThat(lan.contains(IpAddress.parse("::ffff:192.0.2.1"))).isFalse();
        assertThat(lan.contains(IpPrefix.parse("192.0.2.128/25"))).isTrue();
        assertThat(lan.contains(lan)).isTrue();
        assertThat(lan.contains(IpPrefix.parse("192.0.0.0/16"))).isFalse();
        assertThat(IpPrefix.parse("0.0.0.0/0").contains(IpAddress.parse("203.0.113.9")))
                .isTrue();
        assertThat(IpPrefix.parse("::/0").contains(IpAddress.parse("10.0.0.1"))).isFalse();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(IpAddress.parse("2001:db8:8000::1")))
                .isFalse();
        assertThat(IpPrefix.parse("2001:db8::/33").contains(IpAddress.parse("2001:db8:7fff::1")))
                .isTrue();
    }

    @Test
    void ordersByAddressThenLength() {
        var sorted = new java.util.TreeSet<>(java.util.List.of(
                IpPrefix.parse("10.0.0.0/16"),
                IpPrefix.parse("10.0.0.0/8"),
                IpPrefix.parse("::/0"),
                IpPrefix.parse("9.0.0.0/8")));
        assertThat(sorted)
                .extracting(IpPrefix::toString)
                .containsExactly("9.0.0.0/8", "10.0.0.0/8", "10.0.0.0/16", "::/0");
    }
}
