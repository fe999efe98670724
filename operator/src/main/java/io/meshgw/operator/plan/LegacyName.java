package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.ServicePort;
import java.util.List;

/**
 * A LegacyService as a name pods resolve: {@code <name>.<namespace>} resolves to {@code addresses}. In Kubernetes
 * mode the operator keeps a selectorless headless Service of that name with one EndpointSlice per family; in
 * standalone mode the gateway's DNS server answers for it.
 *
 * @param addresses IPv4 first, each family ascending, once each; empty while no selected route covers any
 * @param ports the LegacyService's ports, in spec order
 */
public record LegacyName(ObjectKey service, List<IpAddress> addresses, List<ServicePort> ports) {
    public LegacyName {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
    }
}
