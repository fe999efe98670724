package io.meshgw.operator.port;

/** A port of a Service as the mesh compares it across clusters; {@code name} is empty for a lone unnamed port. */
public record ServicePort(String name, String protocol, int port) {
    public ServicePort {
        name = name == null ? "" : name;
        protocol = protocol == null ? "TCP" : protocol;
    }

    @Override
    public String toString() {
        return (name.isEmpty() ? "" : name + "=") + port + "/" + protocol;
    }
}
