package io.meshgw.operator.plan;

import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;

/**
 * Egress translation for one EgressIdentity: traffic of its pods toward {@code destinations} leaves with
 * {@code source}. Only what the datapath can translate is here (see the identity's status for the rest).
 *
 * @param identity the datapath identity of the EgressIdentity (see {@link IdentityNumbers})
 * @param podAddresses the addresses of the Running, non-terminating pods it selects and keeps (a pod selected by
 *     several identities belongs to the oldest), of {@code source}'s family, sorted, once each
 * @param allowedPorts destination ports those pods may reach, sorted; empty allows every port
 */
public record EgressRule(
        ObjectKey key,
        int identity,
        IpAddress source,
        List<IpPrefix> destinations,
        List<IpAddress> podAddresses,
        List<PortRule> allowedPorts) {
    public EgressRule {
        destinations = List.copyOf(destinations);
        podAddresses = List.copyOf(podAddresses);
        allowedPorts = List.copyOf(allowedPorts);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("EgressIdentity " + key + " has no destination of its source's family");
        }
    }
}
