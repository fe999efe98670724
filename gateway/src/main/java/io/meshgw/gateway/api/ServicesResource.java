package io.meshgw.gateway.api;

import io.meshgw.gateway.api.v1.PortView;
import io.meshgw.gateway.api.v1.ServiceView;
import io.meshgw.gateway.control.AppliedPlan;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.plan.Backend;
import io.meshgw.operator.plan.ExportedService;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.PortTranslation;
import io.meshgw.operator.plan.Translation;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.types.IpAddress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Exported services: their VIP, whether it is announced, and where their backends are. */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private final AppliedPlan plan;
    private final MeshService mesh;

    ServicesResource(AppliedPlan plan, MeshService mesh) {
        this.plan = plan;
        this.mesh = mesh;
    }

    /** Every export of the last applied plan, with the other clusters' ready backends as last read. */
    @GET
    public List<ServiceView> services() {
        Plan applied = plan.get();
        Map<ObjectKey, Map<String, Integer>> remote = new TreeMap<>();
        for (RemoteExport r : mesh.remoteExports()) {
            remote.computeIfAbsent(r.service(), k -> new TreeMap<>())
                    .put(r.cluster().name(), r.readyBackends());
        }
        Set<ObjectKey> keys = new TreeSet<>();
        keys.addAll(applied.translations().keySet());
        keys.addAll(applied.exports().keySet());
        List<ServiceView> out = new ArrayList<>();
        for (ObjectKey k : keys) {
            Translation t = applied.translations().get(k);
            ExportedService e = applied.exports().get(k);
            Optional<IpAddress> vip = t != null ? Optional.of(t.vip()) : e.vip();
            // the export's ports carry this cluster's backends only; a translation's, every cluster's
            List<PortTranslation> ports = e != null ? e.ports() : t.ports();
            Set<IpAddress> local = new HashSet<>();
            ports.forEach(p -> p.backends().stream()
                    .filter(Backend::local)
                    .map(Backend::address)
                    .forEach(local::add));
            Map<String, Integer> remoteCounts = remote.getOrDefault(k, Map.of());
            boolean announced = vip.isPresent()
                    && applied.announcements().containsKey(vip.get().hostPrefix());
            int remoteTotal =
                    remoteCounts.values().stream().mapToInt(Integer::intValue).sum();
            boolean ready = vip.isEmpty() ? !local.isEmpty() || remoteTotal > 0 : announced;
            String reason = ready
                    ? null
                    : local.isEmpty() && remoteTotal == 0
                            ? "no ready backend in any cluster"
                            : vip.isPresent() ? "VIP not announced (no BGP speaker or sessions)" : null;
            out.add(new ServiceView(
                    k.namespace(),
                    k.name(),
                    vip.map(Object::toString).orElse(null),
                    ports.stream()
                            .map(p -> new PortView(
                                    p.port().name(),
                                    p.port().port(),
                                    p.port().protocol().name()))
                            .toList(),
                    announced,
                    local.size(),
                    remoteCounts,
                    ready,
                    reason));
        }
        return out;
    }
}
