package io.meshgw.operator.port;

import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.List;

/**
 * Another cluster's export of a Service, as mesh-sync last read it from an available cluster.
 *
 * @param ports the Service's ports as that cluster exports them
 * @param endpoints its ready endpoints per port
 */
public record RemoteExport(
        ClusterId cluster,
        ObjectKey service,
        Instant exportedAt,
        List<ServicePort> ports,
        List<RemoteEndpoints> endpoints) {
    public RemoteExport {
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /**
     * The ready endpoints of one exported port (Kubernetes matches EndpointSlice ports to Service ports by name and
     * protocol; the slice carries the target port).
     *
     * @param ready addresses of endpoints whose ready condition is true
     */
    public record RemoteEndpoints(String portName, Protocol protocol, int targetPort, List<IpAddress> ready) {
        public RemoteEndpoints {
            portName = portName == null ? "" : portName;
            ServicePort.checkPort("target port", targetPort);
            ready = List.copyOf(ready);
        }

        public boolean serves(ServicePort port) {
            return portName.equals(port.name()) && protocol == port.protocol();
        }
    }

    /** Distinct ready addresses over all ports. */
    public int readyBackends() {
        return (int)
                endpoints.stream().flatMap(e -> e.ready().stream()).distinct().count();
    }
}
