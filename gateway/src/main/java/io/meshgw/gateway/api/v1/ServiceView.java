package io.meshgw.gateway.api.v1;

import java.util.List;
import java.util.Map;

/**
 * One exported service, an element of {@code GET /api/v1/services}.
 *
 * @param assignedVip the legacy VIP, null for an export without one (named as in a MeshServiceExport's status)
 * @param announced the VIP's host route is announced over BGP
 * @param localBackends ready backend addresses in this cluster
 * @param remoteBackends ready backend addresses by the name of each other cluster that exports
 *     the service, zeros included
 * @param reason why the service is not ready, null when it is
 */
public record ServiceView(
        String namespace,
        String name,
        String assignedVip,
        List<PortView> ports,
        boolean announced,
        int localBackends,
        Map<String, Integer> remoteBackends,
        boolean ready,
        String reason) {}
