package io.meshgw.gateway.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The bounds on TCP connections; one IPv6 host holds a /64, so it is one client however many addresses it uses. */
class TcpSlotsTest {

    private static InetAddress in(String prefix, int host) {
        return InetAddress.ofLiteral(prefix + Integer.toHexString(host));
    }

    @Test
    void oneIpv6NetworkCannotTakeEveryTcpSlotWithAnAddressPerConnection() {
        var slots = new TcpSlots(64, 8, 16);
        int taken = 0;
        for (int host = 1; host <= 64; host++) {
            if (slots.take(in("2001:db8:1:1::", host))) taken++;
        }
        assertThat(taken).as("one /64, a new address each time").isEqualTo(16);
        assertThat(slots.take(in("2001:db8:1:2::", 1))).as("the next /64").isTrue();

        slots.release(in("2001:db8:1:1::", 3));
        assertThat(slots.take(in("2001:db8:1:1::", 65))).as("a slot given back").isTrue();
        assertThat(slots.take(in("2001:db8:1:1::", 66))).isFalse();
    }

    @Test
    void eachAddressHasItsOwnBoundAndAllShareTheTotal() {
        var slots = new TcpSlots(20, 8, 16);
        var one = InetAddress.ofLiteral("192.0.2.1");
        for (int i = 0; i < 8; i++) assertThat(slots.take(one)).isTrue();
        assertThat(slots.take(one)).isFalse();
        var v6 = InetAddress.ofLiteral("2001:db8::1");
        for (int i = 0; i < 8; i++) assertThat(slots.take(v6)).isTrue();
        assertThat(slots.take(v6)).as("per address, within its /64's bound").isFalse();
        for (int host = 1; host <= 4; host++) {
            assertThat(slots.take(InetAddress.ofLiteral("198.51.100." + host))).isTrue();
        }
        assertThat(slots.take(InetAddress.ofLiteral("198.51.100.5")))
                .as("the total")
                .isFalse();
        assertThat(slots.taken()).isEqualTo(20);
    }
}
