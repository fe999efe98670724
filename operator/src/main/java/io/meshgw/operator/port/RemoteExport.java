package io.meshgw.operator.port;

import java.time.Instant;
import java.util.List;

/** An export of the same-named Service by another cluster of the mesh, as mesh-sync last read it. */
public record RemoteExport(
        String cluster, ObjectKey service, Instant exportedAt, List<ServicePort> ports, int readyBackends) {
    public RemoteExport {
        ports = List.copyOf(ports);
    }
}
