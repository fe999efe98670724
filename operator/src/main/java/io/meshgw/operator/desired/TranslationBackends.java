package io.meshgw.operator.desired;

import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.ServicePort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The backends behind each port of a VIP: this cluster's ready backends, then the ready endpoints every available
 * remote cluster publishes for the port of the same name and protocol (Kubernetes' EndpointSlice matching; the target
 * port is the remote slice's). Only addresses of the VIP's family can be reached by translating it, so only those are
 * kept. An address and port listed twice is kept once, where {@link Backend} order puts it first (local first), and a
 * port keeps at most as many backends as the datapath holds, again the first in that order.
 */
final class TranslationBackends {
    private TranslationBackends() {}

    /** A port that had more ready backends than the datapath holds. */
    record Capped(ServicePort port, int ready, int kept) {}

    record Result(List<PortTranslation> ports, List<Capped> capped) {
        boolean anyBackend() {
            return ports.stream().anyMatch(p -> !p.backends().isEmpty());
        }
    }

    /**
     * @param local the exported ports with this cluster's ready backends
     * @param remotes other clusters' exports of the same Service
     */
    static Result of(List<PortTranslation> local, List<RemoteExport> remotes, IpFamily family, int maxPerPort) {
        var ports = new ArrayList<PortTranslation>();
        var capped = new ArrayList<Capped>();
        for (var port : local) {
            var candidates = new ArrayList<Backend>();
            port.backends().stream().filter(b -> b.address().family() == family).forEach(candidates::add);
            for (var remote : remotes) {
                for (var endpoints : remote.endpoints()) {
                    if (!endpoints.serves(port.port())) continue;
                    endpoints.ready().stream()
                            .filter(a -> a.family() == family)
                            .forEach(a ->
                                    candidates.add(new Backend(a, endpoints.targetPort(), remote.cluster(), false)));
                }
            }
            candidates.sort(null);
            var seen = new HashSet<Endpoint>();
            var backends = candidates.stream()
                    .filter(b -> seen.add(new Endpoint(b.address(), b.port())))
                    .toList();
            if (backends.size() > maxPerPort) {
                capped.add(new Capped(port.port(), backends.size(), maxPerPort));
                backends = backends.subList(0, maxPerPort);
            }
            ports.add(new PortTranslation(port.port(), backends));
        }
        return new Result(ports, capped);
    }

    /** What makes two backends the same destination: address and port, whichever cluster lists them. */
    private record Endpoint(IpAddress address, int port) {}
}
