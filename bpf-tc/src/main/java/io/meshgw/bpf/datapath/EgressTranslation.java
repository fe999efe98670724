package io.meshgw.bpf.datapath;

import java.net.Inet4Address;
import java.util.List;
import java.util.Objects;

/**
 * Pods of {@code identity} reaching any of {@code destinations} leave with the stable source
 * {@code sourceAddress}, on a port from {@code portMin..portMax} chosen per flow.
 */
public record EgressTranslation(
        int identity, Inet4Address sourceAddress, int portMin, int portMax, List<Ipv4Prefix> destinations) {

    public static final int DEFAULT_PORT_MIN = 32768;
    public static final int DEFAULT_PORT_MAX = 60999;

    public EgressTranslation {
        Objects.requireNonNull(sourceAddress, "egress source address");
        if (identity <= 0) {
            throw new IllegalArgumentException("egress identity must be positive, not " + identity);
        }
        if (portMin < 1 || portMax > 65535 || portMin > portMax) {
            throw new IllegalArgumentException("egress port range of identity " + identity + " is " + portMin + ".."
                    + portMax + "; it must lie in 1..65535 with min <= max");
        }
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("egress identity " + identity + " has no destination prefixes");
        }
    }

    public EgressTranslation(int identity, Inet4Address sourceAddress, List<Ipv4Prefix> destinations) {
        this(identity, sourceAddress, DEFAULT_PORT_MIN, DEFAULT_PORT_MAX, destinations);
    }
}
