package io.meshgw.operator.port;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Egress translation for one EgressIdentity: traffic of the selected pods toward {@code destinations} leaves with
 * {@code sourceIp}.
 *
 * @param serviceAccount null selects every service account
 * @param podLabels empty selects every pod (of the service account, when given)
 * @param sourceAddresses the IPv4 and IPv6 addresses of the Running, non-terminating pods the selector picks (a pod
 *     selected by several identities belongs to the oldest), sorted and without duplicates
 * @param allowedPorts destination ports those pods may reach; empty allows every port
 */
public record EgressRule(
        ObjectKey identity,
        String sourceIp,
        String namespace,
        String serviceAccount,
        Map<String, String> podLabels,
        List<String> destinations,
        List<String> sourceAddresses,
        List<PortRule> allowedPorts) {
    public EgressRule {
        podLabels = Collections.unmodifiableMap(new TreeMap<>(podLabels));
        destinations = List.copyOf(destinations);
        sourceAddresses = List.copyOf(sourceAddresses);
        allowedPorts = List.copyOf(allowedPorts);
    }
}
