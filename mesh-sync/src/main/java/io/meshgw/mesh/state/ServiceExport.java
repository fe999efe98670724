package io.meshgw.mesh.state;

import io.meshgw.types.NameRules;
import io.meshgw.types.ServicePort;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service one cluster offers to the mesh.
 *
 * @param identityLabels the workload identity (e.g. service account, app) the egress source IP
 *     and remote policy are chosen by
 * @param legacyVip the VIP legacy hosts reach the service at, if it has one
 * @param exportedAt when the cluster exported the service (its MeshServiceExport's creation): when
 *     clusters export a name with incompatible ports, the oldest export wins (MCS API)
 */
public record ServiceExport(
        String namespace,
        String name,
        List<ServicePort> ports,
        Map<String, String> identityLabels,
        Optional<LegacyVip> legacyVip,
        Instant exportedAt)
        implements StateValue {

    static final int MAX_PORTS = 100;
    static final int MAX_LABELS = 64;

    public ServiceExport {
        NameRules.requireLabel("namespace", namespace);
        NameRules.requireLabel("service name", name);
        ports = List.copyOf(ports);
        if (ports.size() > MAX_PORTS) {
            throw new IllegalArgumentException(
                    "service " + namespace + "/" + name + " has " + ports.size() + " ports; at most " + MAX_PORTS);
        }
        identityLabels = Map.copyOf(identityLabels);
        if (identityLabels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("service " + namespace + "/" + name + " has " + identityLabels.size()
                    + " identity labels; at most " + MAX_LABELS);
        }
        identityLabels.forEach(LabelRules::require);
        legacyVip = legacyVip == null ? Optional.empty() : legacyVip;
        exportedAt = exportedAt == null ? Instant.EPOCH : exportedAt;
    }

    /** An export whose time is unknown (it orders before every dated one). */
    public ServiceExport(
            String namespace,
            String name,
            List<ServicePort> ports,
            Map<String, String> identityLabels,
            Optional<LegacyVip> legacyVip) {
        this(namespace, name, ports, identityLabels, legacyVip, Instant.EPOCH);
    }

    @Override
    public ServiceKey key() {
        return new ServiceKey(namespace, name);
    }
}
