package io.meshgw.gateway.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token buckets on a clock the test moves. */
class AnswerRateLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private int admitted(AnswerRateLimit limit, InetAddress client, int asked) {
        int n = 0;
        for (int i = 0; i < asked; i++) {
            if (limit.admit(client)) n++;
        }
        return n;
    }

    @Test
    void aClientGetsItsBurstThenItsRate() {
        var limit = new AnswerRateLimit(new DnsServer.AnswerLimits(10, 20, 100), now::get);
        var client = InetAddress.ofLiteral("192.0.2.1");
        assertThat(admitted(limit, client, 100)).isEqualTo(20);
        now.addAndGet(500_000_000L);
        assertThat(admitted(limit, client, 100)).as("half a second: 5").isEqualTo(5);
        now.addAndGet(60_000_000_000L);
        assertThat(admitted(limit, client, 100))
                .as("refilled to the burst, no more")
                .isEqualTo(20);
        assertThat(admitted(limit, InetAddress.ofLiteral("192.0.2.2"), 100))
                .as("another address")
                .isEqualTo(20);
    }

    @Test
    void anIpv6HostCannotEscapeItsLimitByChangingAddressesWithinItsSlash64() {
        var limit = new AnswerRateLimit(new DnsServer.AnswerLimits(10, 20, 100), now::get);
        int n = 0;
        for (int host = 1; host <= 100; host++) {
            if (limit.admit(InetAddress.ofLiteral("2001:db8:7:7::" + Integer.toHexString(host)))) n++;
        }
        assertThat(n).isEqualTo(20);
        assertThat(limit.admit(InetAddress.ofLiteral("2001:db8:7:8::1"))).isTrue();
    }

    @Test
    void theTableOfBucketsIsBoundedAndForgetsTheLeastRecentlySeen() {
        var limit = new AnswerRateLimit(new DnsServer.AnswerLimits(10, 2, 1000), now::get);
        for (int i = 0; i < 5000; i++) {
            limit.admit(InetAddress.ofLiteral("10.0." + (i / 256) + "." + (i % 256)));
        }
        assertThat(limit.clients()).isEqualTo(1000);
    }

    @Test
    void zeroPerSecondIsNoLimit() {
        var limit = new AnswerRateLimit(new DnsServer.AnswerLimits(0, 1, 1), now::get);
        assertThat(admitted(limit, InetAddress.ofLiteral("192.0.2.1"), 1000)).isEqualTo(1000);
    }
}
