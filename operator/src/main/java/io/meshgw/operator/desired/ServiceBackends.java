package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.model.IpAddresses;
import io.meshgw.operator.port.Backend;
import io.meshgw.operator.port.PortTranslation;
import io.meshgw.operator.port.ServicePort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** The exported ports of a Service and their ready backends, read from its discovery.k8s.io/v1 EndpointSlices. */
final class ServiceBackends {
    /** Label that binds an EndpointSlice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServiceBackends() {}

    /** Either the selected ports with their backends, or the requested port names the Service lacks. */
    record Selection(List<PortTranslation> ports, List<String> missing) {}

    /** @param names port names to export; empty selects every port */
    static Selection select(Service service, List<EndpointSlice> allSlices, List<String> names) {
        var servicePorts = service.getSpec() == null || service.getSpec().getPorts() == null
                ? List.<io.fabric8.kubernetes.api.model.ServicePort>of()
                : service.getSpec().getPorts();
        var missing = new ArrayList<String>();
        for (var name : names) {
            if (servicePorts.stream().noneMatch(p -> name.equals(p.getName()))) missing.add(name);
        }
        var slices = slicesOf(service, allSlices);
        var ports = new ArrayList<PortTranslation>();
        for (var p : servicePorts) {
            if (!names.isEmpty() && !names.contains(p.getName())) continue;
            var port = new ServicePort(p.getName(), p.getProtocol(), p.getPort());
            ports.add(new PortTranslation(port, backends(port, slices)));
        }
        ports.sort(Comparator.comparing((PortTranslation t) -> t.port().name())
                .thenComparing(t -> t.port().port()));
        return new Selection(ports, missing);
    }

    private static List<EndpointSlice> slicesOf(Service service, List<EndpointSlice> all) {
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        return all.stream()
                .filter(s -> ns.equals(s.getMetadata().getNamespace()))
                .filter(s -> s.getMetadata().getLabels() != null
                        && name.equals(s.getMetadata().getLabels().get(SERVICE_NAME_LABEL)))
                .filter(s -> !"FQDN".equals(s.getAddressType()))
                .toList();
    }

    private static List<Backend> backends(ServicePort port, List<EndpointSlice> slices) {
        var out = new TreeSet<Backend>(Comparator.comparing(Backend::address).thenComparing(Backend::port));
        for (var slice : slices) {
            var slicePort = slice.getPorts() == null
                    ? null
                    : slice.getPorts().stream()
                            .filter(p -> matches(port, p))
                            .findFirst()
                            .orElse(null);
            if (slicePort == null || slicePort.getPort() == null || slice.getEndpoints() == null) continue;
            for (var endpoint : slice.getEndpoints()) {
                if (!ready(endpoint)
                        || endpoint.getAddresses() == null
                        || endpoint.getAddresses().isEmpty()) continue;
                // All addresses of one endpoint belong to the same pod; the first is the one to use.
                var address = IpAddresses.parse(endpoint.getAddresses().getFirst());
                address.ifPresent(a -> out.add(new Backend(IpAddresses.format(a), slicePort.getPort())));
            }
        }
        return List.copyOf(out);
    }

    private static boolean matches(ServicePort port, EndpointPort slicePort) {
        String name = slicePort.getName() == null ? "" : slicePort.getName();
        String protocol = slicePort.getProtocol() == null ? "TCP" : slicePort.getProtocol();
        return name.equals(port.name()) && protocol.equals(port.protocol());
    }

    /** discovery.k8s.io/v1: a nil ready condition means ready. */
    private static boolean ready(Endpoint endpoint) {
        return endpoint.getConditions() == null
                || !Objects.equals(endpoint.getConditions().getReady(), Boolean.FALSE);
    }
}
