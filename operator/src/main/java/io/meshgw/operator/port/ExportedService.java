package io.meshgw.operator.port;

import java.time.Instant;
import java.util.List;

/**
 * What this cluster publishes to the mesh for one MeshServiceExport.
 *
 * @param exportedAt creation time of the export: the oldest export of a name wins a conflict (MCS)
 * @param vip the legacy VIP, or null for a mesh-only export
 */
public record ExportedService(ObjectKey service, Instant exportedAt, List<PortTranslation> ports, String vip) {
    public ExportedService {
        ports = List.copyOf(ports);
    }

    public int readyBackends() {
        return (int) ports.stream()
                .flatMap(p -> p.backends().stream())
                .map(Backend::address)
                .distinct()
                .count();
    }
}
