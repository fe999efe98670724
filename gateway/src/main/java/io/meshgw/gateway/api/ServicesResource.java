package io.meshgw.gateway.api;

import io.meshgw.gateway.api.v1.PortView;
import io.meshgw.gateway.api.v1.ServiceView;
import io.meshgw.gateway.bgp.BgpPort;
import io.meshgw.gateway.datapath.DatapathPort;
import io.meshgw.gateway.mesh.MeshService;
import io.meshgw.operator.port.Backend;
import io.meshgw.operator.port.ExportedService;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.RemoteExport;
import io.meshgw.operator.port.ServiceTranslation;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Exported services: their VIP, whether it is announced, and where their backends are. */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private final DatapathPort datapath;
    private final MeshService mesh;
    private final BgpPort bgp;

    ServicesResource(DatapathPort datapath, MeshService mesh, BgpPort bgp) {
        this.datapath = datapath;
        this.mesh = mesh;
        this.bgp = bgp;
    }

    @GET
    public List<ServiceView> services() {
        Map<ObjectKey, ServiceTranslation> translations = datapath.translations();
        Map<ObjectKey, ExportedService> published = mesh.published();
        Map<ObjectKey, Map<String, Integer>> remote = new TreeMap<>();
        for (RemoteExport r : mesh.remoteExports()) {
            remote.computeIfAbsent(r.service(), k -> new TreeMap<>()).put(r.cluster(), r.readyBackends());
        }
        Set<ObjectKey> keys = new TreeSet<>();
        keys.addAll(translations.keySet());
        keys.addAll(published.keySet());
        Set<String> announced = bgp.announcements().keySet();
        List<ServiceView> out = new ArrayList<>();
        for (ObjectKey k : keys) {
            ServiceTranslation t = translations.get(k);
            ExportedService e = published.get(k);
            String vip = t != null ? t.vip() : e != null ? e.vip() : null;
            List<PortView> ports = (t != null ? t.ports() : e.ports())
                    .stream()
                            .map(p -> new PortView(
                                    p.port().name(), p.port().port(), p.port().protocol()))
                            .toList();
            Set<String> local = new HashSet<>();
            (t != null ? t.ports() : e.ports())
                    .forEach(p -> p.backends().stream().map(Backend::address).forEach(local::add));
            Map<String, Integer> remoteCounts = remote.getOrDefault(k, Map.of());
            boolean isAnnounced = vip != null && announced.stream().anyMatch(p -> p.startsWith(vip + "/"));
            int remoteTotal =
                    remoteCounts.values().stream().mapToInt(Integer::intValue).sum();
            boolean ready = vip == null ? !local.isEmpty() || remoteTotal > 0 : isAnnounced;
            String reason = ready
                    ? null
                    : local.isEmpty() && remoteTotal == 0
                            ? "no ready backend in any cluster"
                            : vip != null ? "VIP not announced (no BGP speaker or sessions)" : null;
            out.add(new ServiceView(
                    k.namespace(), k.name(), vip, ports, isAnnounced, local.size(), remoteCounts, ready, reason));
        }
        return out;
    }
}
