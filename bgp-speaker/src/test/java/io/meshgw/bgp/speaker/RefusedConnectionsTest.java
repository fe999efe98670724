package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RefusedConnectionsTest {

    private long now;
    private final RefusedConnections log = new RefusedConnections(() -> now);

    private static InetAddress a(int i) {
        return InetAddress.ofLiteral("198.51.100." + i);
    }

    @Test
    void oneLinePerSourcePerMinuteAndAFewInAllThenTheNextLineCountsTheRest() {
        assertThat(log.refused(a(1)))
                .hasValueSatisfying(l ->
                        assertThat(l).isEqualTo("closed BGP connection from 198.51.100.1: not a configured neighbor"));
        assertThat(log.refused(a(1))).as("same source within the minute").isEmpty();
        for (int i = 2; i <= 100; i++) {
            log.refused(a(i));
        }
        assertThat(log.logged()).isEqualTo(RefusedConnections.LINES_PER_WINDOW);

        now += RefusedConnections.WINDOW.toNanos();
        assertThat(log.refused(a(1)))
                .hasValueSatisfying(l -> assertThat(l)
                        .contains("198.51.100.1")
                        .as("198.51.100.11 to .100 came after the last line")
                        .contains("(90 more such connections"));
        assertThat(log.refused()).isEqualTo(102);
    }
}
