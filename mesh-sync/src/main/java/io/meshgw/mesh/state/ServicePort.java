package io.meshgw.mesh.state;

/**
 * A port of a service or an EndpointSlice.
 *
 * @param name empty for the single unnamed port Kubernetes allows, otherwise a DNS-1123 label
 * @param port 1..65535
 */
public record ServicePort(String name, int port, Protocol protocol) {

    public ServicePort {
        if (!name.isEmpty()) {
            NameRules.requireLabel("port name", name);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        if (protocol == null) {
            throw new IllegalArgumentException("port " + port + " has no protocol");
        }
    }

    public static ServicePort tcp(String name, int port) {
        return new ServicePort(name, port, Protocol.TCP);
    }
}
