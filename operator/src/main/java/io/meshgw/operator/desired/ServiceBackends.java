package io.meshgw.operator.desired;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.types.ClusterId;
import io.meshgw.types.IpAddress;
import io.meshgw.types.Protocol;
import io.meshgw.types.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The exported ports of a Service and their ready local backends, read from its discovery.k8s.io/v1 EndpointSlices:
 * the Service's text parsed once into ports, protocols and addresses.
 */
final class ServiceBackends {
    /** Label that binds an EndpointSlice to its Service. */
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private ServiceBackends() {}

    /**
     * The selected ports with their backends, sorted; or what is wrong with the selection.
     *
     * @param missing requested port names the Service lacks
     * @param invalid selected ports the API server would have refused (only a standalone file can hold them)
     */
    record Selection(List<PortTranslation> ports, List<String> missing, List<String> invalid) {}

    /** @param names port names to export; empty selects every port */
    static Selection select(Service service, List<EndpointSlice> allSlices, List<String> names, ClusterId local) {
        var servicePorts = service.getSpec() == null || service.getSpec().getPorts() == null
                ? List.<io.fabric8.kubernetes.api.model.ServicePort>of()
                : service.getSpec().getPorts();
        var missing = new ArrayList<String>();
        for (var name : names) {
            if (servicePorts.stream().noneMatch(p -> name.equals(p.getName()))) missing.add(name);
        }
        var slices = slicesOf(service, allSlices);
        var ports = new ArrayList<PortTranslation>();
        var invalid = new ArrayList<String>();
        for (var p : servicePorts) {
            if (!names.isEmpty() && !names.contains(p.getName())) continue;
            ServicePort port;
            try {
                port = new ServicePort(
                        p.getName(), Protocol.parse(p.getProtocol()), p.getPort() == null ? 0 : p.getPort());
            } catch (IllegalArgumentException e) {
                invalid.add(e.getMessage());
                continue;
            }
            ports.add(new PortTranslation(port, backends(port, slices, local)));
        }
        ports.sort((a, b) -> a.port().compareTo(b.port()));
        return new Selection(ports, missing, invalid);
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

    /** Ready endpoints, once each, in {@link Backend} order. */
    private static List<Backend> backends(ServicePort port, List<EndpointSlice> slices, ClusterId local) {
        var out = new TreeSet<Backend>();
        for (var slice : slices) {
            var slicePort = slice.getPorts() == null
                    ? null
                    : slice.getPorts().stream()
                            .filter(p -> matches(port, p))
                            .findFirst()
                            .orElse(null);
            if (slicePort == null || !validPort(slicePort.getPort()) || slice.getEndpoints() == null) continue;
            for (var endpoint : slice.getEndpoints()) {
                if (!ready(endpoint)
                        || endpoint.getAddresses() == null
                        || endpoint.getAddresses().isEmpty()) continue;
                // All addresses of one endpoint belong to the same pod; the first is the one to use.
                IpAddress.tryParse(endpoint.getAddresses().getFirst())
                        .ifPresent(a -> out.add(new Backend(a, slicePort.getPort(), local, true)));
            }
        }
        return List.copyOf(out);
    }

    /** Kubernetes matches a slice's port to the Service's by name and protocol; the slice carries the target port. */
    private static boolean matches(ServicePort port, EndpointPort slicePort) {
        String name = slicePort.getName() == null ? "" : slicePort.getName();
        String protocol = slicePort.getProtocol() == null ? "TCP" : slicePort.getProtocol();
        return name.equals(port.name()) && protocol.equals(port.protocol().name());
    }

    private static boolean validPort(Integer port) {
        return port != null && port >= 1 && port <= 65535;
    }

    /** discovery.k8s.io/v1: a nil ready condition means ready. */
    private static boolean ready(Endpoint endpoint) {
        return endpoint.getConditions() == null
                || !Objects.equals(endpoint.getConditions().getReady(), Boolean.FALSE);
    }
}
