package io.meshgw.types;

import java.util.Comparator;
import java.util.Objects;

/**
 * A port of a Service as clusters compare it: by name, protocol and number.
 *
 * @param name empty for a lone unnamed port, otherwise a DNS-1123 label
 * @param protocol the L4 protocol
 * @param port 1..65535
 */
public record ServicePort(String name, Protocol protocol, int port) implements Comparable<ServicePort> {

    private static final Comparator<ServicePort> ORDER = Comparator.comparing(ServicePort::name)
            .thenComparing(ServicePort::protocol)
            .thenComparingInt(ServicePort::port);

    public ServicePort {
        name = name == null ? "" : name;
        if (!name.isEmpty()) {
            NameRules.requireLabel("port name", name);
        }
        Objects.requireNonNull(protocol, "protocol");
        checkPort("port", port);
    }

    public static ServicePort tcp(String name, int port) {
        return new ServicePort(name, Protocol.TCP, port);
    }

    /** Throws unless {@code port} is a TCP/UDP/SCTP port number, 1..65535. */
    public static int checkPort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside 1..65535");
        }
        return port;
    }

    @Override
    public int compareTo(ServicePort other) {
        return ORDER.compare(this, other);
    }

    /** {@code name=port/PROTOCOL}, or {@code port/PROTOCOL} for an unnamed port. */
    @Override
    public String toString() {
        return (name.isEmpty() ? "" : name + "=") + port + "/" + protocol;
    }
}
