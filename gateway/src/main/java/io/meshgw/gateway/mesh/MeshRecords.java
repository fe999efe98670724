package io.meshgw.gateway.mesh;

import io.meshgw.gateway.desired.RemoteBackend;
import io.meshgw.mesh.state.Endpoint;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.LegacyVip;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import io.meshgw.mesh.state.StateValue;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshSnapshot;
import io.meshgw.operator.port.Backend;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PortTranslation;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.ServicePort;
import io.meshgw.types.Protocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Between the operator's view of an export and mesh-sync's records. One export becomes a
 * ServiceExport and one EndpointSlice per exported port (the slice carries the port's target
 * port, as Kubernetes EndpointSlices do); remote clusters' records become RemoteExports and
 * backends. Pure functions.
 */
final class MeshRecords {

    private MeshRecords() {}

    /** Slice names: one per exported port, named after it. */
    static String sliceName(ServicePort port) {
        return "gw-" + (port.name().isEmpty() ? String.valueOf(port.port()) : port.name());
    }

    static List<StateValue> values(ExportedService e, int cluster) {
        List<StateValue> out = new ArrayList<>();
        List<io.meshgw.types.ServicePort> ports = e.ports().stream()
                .map(p -> new io.meshgw.types.ServicePort(
                        p.port().name(), protocol(p.port()), p.port().port()))
                .toList();
        Optional<LegacyVip> vip = e.vip() == null || e.ports().isEmpty()
                ? Optional.empty()
                : Optional.of(new LegacyVip(
                        InetAddress.ofLiteral(e.vip()), e.ports().get(0).port().port()));
        out.add(new ServiceExport(e.service().namespace(), e.service().name(), ports, Map.of(), vip, e.exportedAt()));
        for (PortTranslation p : e.ports()) {
            Map<Integer, List<Endpoint>> byTarget = new LinkedHashMap<>();
            for (Backend b : p.backends()) {
                byTarget.computeIfAbsent(b.port(), k -> new ArrayList<>())
                        .add(Endpoint.ready(InetAddress.ofLiteral(b.address())));
            }
            // One slice per port; a port whose backends listen on different target ports (rare)
            // is published with the most common one only.
            int target = byTarget.entrySet().stream()
                    .max((a, b) ->
                            Integer.compare(a.getValue().size(), b.getValue().size()))
                    .map(Map.Entry::getKey)
                    .orElse(p.port().port());
            out.add(new EndpointSlice(
                    e.service().namespace(),
                    e.service().name(),
                    sliceName(p.port()),
                    cluster,
                    List.of(new io.meshgw.types.ServicePort(p.port().name(), protocol(p.port()), target)),
                    byTarget.getOrDefault(target, List.of())));
        }
        return out;
    }

    private static Protocol protocol(ServicePort p) {
        return "UDP".equals(p.protocol()) ? Protocol.UDP : Protocol.TCP;
    }

    /** Other clusters' exports, available clusters only. */
    static List<RemoteExport> remoteExports(MeshSnapshot snapshot, int localCluster) {
        List<RemoteExport> out = new ArrayList<>();
        for (ClusterView c : snapshot.available()) {
            if (c.cluster().id() == localCluster) {
                continue;
            }
            for (ServiceExport e : c.services().values()) {
                List<ServicePort> ports = e.ports().stream()
                        .map(p -> new ServicePort(p.name(), p.protocol().name(), p.port()))
                        .toList();
                out.add(new RemoteExport(
                        c.cluster().name(),
                        new ObjectKey(e.namespace(), e.name()),
                        e.exportedAt(),
                        ports,
                        readyAddresses(c, e.key()).size()));
            }
        }
        return out;
    }

    private static Set<InetAddress> readyAddresses(ClusterView c, ServiceKey service) {
        Set<InetAddress> out = new HashSet<>();
        c.activeSlices().values().stream()
                .filter(s ->
                        s.namespace().equals(service.namespace()) && s.service().equals(service.name()))
                .flatMap(s -> s.endpoints().stream())
                .filter(Endpoint::ready)
                .forEach(ep -> out.addAll(ep.addresses()));
        return out;
    }

    /** Ready IPv4 endpoints of {@code service}'s port in every available remote cluster. */
    static List<RemoteBackend> backends(MeshSnapshot snapshot, int localCluster, ObjectKey service, ServicePort port) {
        List<RemoteBackend> out = new ArrayList<>();
        for (EndpointSlice s : snapshot.endpointSlices(new ServiceKey(service.namespace(), service.name()))) {
            if (s.owningCluster() == localCluster) {
                continue;
            }
            for (io.meshgw.types.ServicePort sp : s.ports()) {
                boolean same =
                        sp.name().equals(port.name()) && sp.protocol().name().equals(port.protocol());
                if (!same) {
                    continue;
                }
                for (Endpoint ep : s.endpoints()) {
                    if (!ep.ready()) {
                        continue;
                    }
                    for (InetAddress a : ep.addresses()) {
                        if (a instanceof Inet4Address) {
                            out.add(new RemoteBackend(a.getHostAddress(), sp.port(), s.owningCluster()));
                        }
                    }
                }
            }
        }
        return out;
    }
}
