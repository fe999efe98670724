package io.meshgw.operator.plan;

import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.Comparator;
import java.util.Objects;

/** A destination port egress traffic may reach. */
public record PortRule(Protocol protocol, int port) implements Comparable<PortRule> {
    private static final Comparator<PortRule> ORDER =
            Comparator.comparing(PortRule::protocol).thenComparingInt(PortRule::port);

    public PortRule {
        Objects.requireNonNull(protocol, "protocol");
        ServicePort.checkPort("allowed port", port);
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
