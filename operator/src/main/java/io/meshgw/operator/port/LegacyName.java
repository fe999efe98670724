package io.meshgw.operator.port;

import java.util.List;

/**
 * A LegacyService as a name pods resolve: in Kubernetes mode the operator keeps a selectorless headless Service of
 * the same namespace and name with one EndpointSlice per address family, so cluster DNS answers
 * {@code <name>.<namespace>.svc.<cluster-domain>} with {@code addresses}.
 *
 * @param service the LegacyService's namespace and name, which the Service shares
 * @param addresses the addresses the name resolves to: canonical text, IPv4 first, each family ascending, once each;
 *     empty while no selected route covers any
 * @param ports the LegacyService's ports, in spec order
 */
public record LegacyName(ObjectKey service, List<String> addresses, List<ServicePort> ports) {
    public LegacyName {
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
    }
}
