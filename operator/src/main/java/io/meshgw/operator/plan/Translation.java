package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import java.util.List;

/**
 * A legacy VIP and the backends each of its ports is translated to (ingress): local backends and the ready
 * backends other clusters of the mesh publish for the same Service. Only ports and backends the datapath can
 * translate are here; what it cannot is said in the export's status.
 *
 * @param identity the Service's datapath identity, which policy rules name (see {@link IdentityNumbers})
 * @param ports by port, each with at least one backend or none (then the datapath drops new flows to it)
 */
public record Translation(ObjectKey service, IpAddress vip, int identity, List<PortTranslation> ports) {
    public Translation {
        ports = List.copyOf(ports);
    }
}
