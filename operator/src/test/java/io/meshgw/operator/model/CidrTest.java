package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void parsesV4AndV6() {
        assertThat(Cidr.parse("10.1.0.0/16")).isInstanceOfSatisfying(Cidr.Ok.class, ok -> {
            assertThat(ok.cidr().toString()).isEqualTo("10.1.0.0/16");
            assertThat(ok.cidr().range().last()).isEqualTo(BigInteger.valueOf(0x0A01FFFFL));
        });
        assertThat(Cidr.parse("2001:db8::/32")).isInstanceOf(Cidr.Ok.class);
        assertThat(Cidr.parse("0.0.0.0/0")).isInstanceOf(Cidr.Ok.class);
        assertThat(Cidr.parse("10.0.0.7/32")).isInstanceOf(Cidr.Ok.class);
    }

    @Test
    void rejectsHostBits() {
        assertThat(Cidr.parse("10.0.0.1/24")).isEqualTo(new Cidr.Invalid("'10.0.0.1/24' has host bits set"));
        assertThat(Cidr.parse("2001:db8::1/64")).isEqualTo(new Cidr.Invalid("'2001:db8::1/64' has host bits set"));
    }

    @Test
    void rejectsBadLengthAndAddress() {
        assertThat(Cidr.parse("10.0.0.0/33"))
                .isEqualTo(new Cidr.Invalid("'10.0.0.0/33' has an invalid prefix length (0..32)"));
        assertThat(Cidr.parse("2001:db8::/129"))
                .isEqualTo(new Cidr.Invalid("'2001:db8::/129' has an invalid prefix length (0..128)"));
        assertThat(Cidr.parse("10.0.0.0/-1")).isInstanceOf(Cidr.Invalid.class);
        assertThat(Cidr.parse("10.0.0.0")).isEqualTo(new Cidr.Invalid("'10.0.0.0' is not a CIDR (address/length)"));
        assertThat(Cidr.parse("net.example/8")).isEqualTo(new Cidr.Invalid("'net.example/8' has an invalid address"));
    }
}
