package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What this cluster publishes to the mesh for one MeshServiceExport: its ports with their ready local backends.
 *
 * @param exportedAt creation time of the export: the oldest export of a name wins a conflict (MCS)
 * @param vip the legacy VIP, empty for a mesh-only export
 */
public record ExportedService(
        ObjectKey service, Instant exportedAt, List<PortTranslation> ports, Optional<IpAddress> vip) {
    public ExportedService {
        ports = List.copyOf(ports);
    }

    /** Distinct ready addresses over all ports. */
    public int readyBackends() {
        return (int) ports.stream()
                .flatMap(p -> p.backends().stream())
                .map(Backend::address)
                .distinct()
                .count();
    }
}
