package io.meshgw.operator.port;

import java.util.List;

/**
 * Legacy VIP to Kubernetes backends for one exported Service (ingress translation). Only local backends: the gateway
 * adds remote clusters' backends from mesh-sync itself.
 *
 * @param vip the legacy address, without prefix length; each port is reachable on {@code vip:port.port}
 */
public record ServiceTranslation(ObjectKey service, String vip, List<PortTranslation> ports) {
    public ServiceTranslation {
        ports = List.copyOf(ports);
    }
}
