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
 */
public record EgressRule(
        ObjectKey identity,
        String sourceIp,
        String namespace,
        String serviceAccount,
        Map<String, String> podLabels,
        List<String> destinations) {
    public EgressRule {
        podLabels = Collections.unmodifiableMap(new TreeMap<>(podLabels));
        destinations = List.copyOf(destinations);
    }
}
