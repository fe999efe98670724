package io.meshgw.operator.port;

import java.util.Comparator;
import java.util.Objects;

/**
 * A destination port that egress traffic may reach.
 *
 * @param protocol {@code TCP} or {@code UDP}
 * @param port 1..65535
 */
public record PortRule(String protocol, int port) implements Comparable<PortRule> {
    private static final Comparator<PortRule> ORDER =
            Comparator.comparing(PortRule::protocol).thenComparingInt(PortRule::port);

    public PortRule {
        Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public int compareTo(PortRule other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return port + "/" + protocol;
    }
}
