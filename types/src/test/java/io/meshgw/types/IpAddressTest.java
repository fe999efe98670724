package io.meshgw.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0.0.0.0",
                "10.0.0.1",
                "255.255.255.255",
                "192.0.2.1",
                "::",
                "::1",
                "2001:db8::1",
                "fe80::1:2:3:4",
                "2001:db8:0:1:1:1:1:1",
                "::ffff:192.0.2.1",
                "1::",
                "ff02::1:ff00:1"
            })
    void canonicalTextParsesAndPrintsBackUnchanged(String text) {
        assertThat(IpAddress.parse(text)).hasToString(text);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "010.0.0.1",
                "1.2.3",
                "1.2.3.4.5",
                "256.0.0.1",
                "1..2.3",
                "1.2.3.",
                ".1.2.3",
                "a.b.c.d",
                "1.2.3.4 ",
                "1234.1.1.1",
                "localhost",
                "[::1]",
                "fe80::1%eth0",
                "2001:db8::g",
                "2001:::1",
                "1:2:3:4:5:6:7:8:9",
                "-1.2.3.4"
            })
    void anythingButACanonicalLiteralIsRefusedWithTheTextInTheMessage(String text) {
        assertThatThrownBy(() -> IpAddress.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IP");
    }

    @Test
    void emptyAndNullAreRefused() {
        assertThatThrownBy(() -> IpAddress.parse("")).hasMessageContaining("required");
        assertThatThrownBy(() -> IpAddress.parse(null)).hasMessageContaining("required");
        assertThat(IpAddress.tryParse("nope")).isEmpty();
        assertThat(IpAddress.tryParse("10.0.0.1")).contains(new Ipv4Address(0x0a000001));
    }

    @Test
    void ipv6IsPrintedPerRfc5952() {
        // §4.1 no leading zeros, §4.3 lower case, §4.2.1 longest run compressed, §4.2.2 not a single group,
        // §4.2.3 the first of equal runs.
        assertThat(IpAddress.parse("2001:0DB8:0000:0000:0000:0000:0000:0001")).hasToString("2001:db8::1");
        assertThat(IpAddress.parse("2001:db8:0:1:0:0:0:1")).hasToString("2001:db8:0:1::1");
        assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1");
        assertThat(IpAddress.parse("2001:db8::1:0:1:1:1")).hasToString("2001:db8:0:1:0:1:1:1");
    }

    @Test
    void ipv4MappedStaysIpv6() {
        IpAddress a = IpAddress.parse("::ffff:10.0.0.1");
        assertThat(a.family()).isEqualTo(IpFamily.IPV6);
        assertThat(((Ipv6Address) a).ipv4Mapped()).isTrue();
        assertThat(a).isNotEqualTo(IpAddress.parse("10.0.0.1"));
    }

    @Test
    void ordersIpv4FirstThenEachFamilyAsUnsignedNumbers() {
        List<IpAddress> sorted = new ArrayList<>(List.of(
                IpAddress.parse("fd00::1"),
                IpAddress.parse("2001:db8::1"),
                IpAddress.parse("200.0.0.1"),
                IpAddress.parse("10.0.0.1"),
                IpAddress.parse("::1"),
                IpAddress.parse("ffff::"),
                IpAddress.parse("8000::")));
        sorted.sort(null);
        assertThat(sorted)
                .extracting(IpAddress::toString)
                .containsExactly("10.0.0.1", "200.0.0.1", "::1", "2001:db8::1", "8000::", "fd00::1", "ffff::");
    }

    @Test
    void maskingKeepsTheLeadingBits() {
        assertThat(IpAddress.parse("10.1.2.3").masked(8)).hasToString("10.0.0.0");
        assertThat(IpAddress.parse("10.1.2.3").masked(0)).hasToString("0.0.0.0");
        assertThat(IpAddress.parse("10.1.2.3").masked(32)).hasToString("10.1.2.3");
        assertThat(IpAddress.parse("2001:db8:1:2:3:4:5:6").masked(48)).hasToString("2001:db8:1::");
        assertThat(IpAddress.parse("2001:db8:1:2:3:4:5:6").masked(64)).hasToString("2001:db8:1:2::");
        assertThat(IpAddress.parse("2001:db8:1:2:3:4:5:ffff").masked(127)).hasToString("2001:db8:1:2:3:4:5:fffe");
        assertThatThrownBy(() -> IpAddress.parse("10.0.0.1").masked(33)).hasMessageContaining("0..32");
        assertThatThrownBy(() -> IpAddress.parse("::1").masked(-1)).hasMessageContaining("0..128");
    }

    @Test
    void randomAddressesRoundTripThroughTextBytesInetAddressAndNumbers() throws Exception {
        Random random = new Random(20261206);
        List<IpAddress> all = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? 4 : 16];
            random.nextBytes(bytes);
            if (i % 7 == 0 && bytes.length == 16) {
                java.util.Arrays.fill(bytes, 4, 12 - i % 5, (byte) 0); // zero runs of several lengths
            }
            IpAddress a = IpAddress.of(bytes);
            all.add(a);
            assertThat(a.toBytes()).isEqualTo(bytes);
            assertThat(IpAddress.parse(a.toString())).isEqualTo(a);
            assertThat(IpAddress.of(InetAddress.getByAddress(bytes))).isEqualTo(a);
            assertThat(a.toInetAddress().getAddress()).isEqualTo(bytes);
            assertThat(IpAddress.of(a.family(), a.toBigInteger())).isEqualTo(a);
            // the JDK reads our text as the same address
            assertThat(InetAddress.ofLiteral(a.toString()).getAddress())
                    .isEqualTo(
                            bytes.length == 16 && ((Ipv6Address) a).ipv4Mapped()
                                    ? java.util.Arrays.copyOfRange(bytes, 12, 16)
                                    : bytes);
        }
        Comparator<IpAddress> byNumber =
                Comparator.comparing((IpAddress a) -> a.family()).thenComparing(a -> a.toBigInteger());
        List<IpAddress> mine = new ArrayList<>(all);
        mine.sort(null);
        List<IpAddress> reference = new ArrayList<>(all);
        reference.sort(byNumber);
        assertThat(mine).isEqualTo(reference);
    }

    @Test
    void numbersOutsideTheFamilyAreRefused() {
        assertThatThrownBy(() -> IpAddress.of(IpFamily.IPV4, BigInteger.ONE.shiftLeft(32)))
                .hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> IpAddress.of(new byte[5])).hasMessageContaining("4 or 16 bytes");
    }
}
