package io.meshgw.gateway.mesh;

import io.meshgw.mesh.view.ClusterMetrics;
import io.meshgw.mesh.view.ClusterView;
import io.meshgw.mesh.view.MeshMetrics;
import io.meshgw.mesh.view.MeshSnapshot;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The other clusters as this gateway sees them, for operators and the CLI. */
@Path("/api/v1/mesh")
@Produces(MediaType.APPLICATION_JSON)
public class MeshResource {

    public record ClusterRow(
            int id,
            String name,
            boolean synced,
            boolean available,
            Long lastHeartbeatAgeMs,
            long lag,
            long recordsApplied,
            long recordsRejected,
            int services,
            int endpoints) {}

    private final MeshService mesh;

    MeshResource(MeshService mesh) {
        this.mesh = mesh;
    }

    @GET
    @Path("/clusters")
    public List<ClusterRow> clusters() {
        MeshSnapshot s = mesh.snapshot().orElse(null);
        if (s == null) {
            return List.of();
        }
        Map<Integer, ClusterMetrics> metrics =
                mesh.metrics().map(MeshMetrics::clusters).orElse(Map.of());
        List<ClusterRow> out = new ArrayList<>();
        for (ClusterView c : s.clusters().values()) {
            ClusterMetrics m = metrics.get(c.cluster().id());
            int endpoints = c.slices().values().stream()
                    .mapToInt(sl -> sl.endpoints().size())
                    .sum();
            out.add(new ClusterRow(
                    c.cluster().id(),
                    c.cluster().name(),
                    c.status().synced(),
                    c.status().available(),
                    c.status().lastHeartbeatAge().map(d -> d.toMillis()).orElse(null),
                    m == null ? -1 : m.lag(),
                    m == null ? 0 : m.applied(),
                    m == null ? 0 : m.rejected(),
                    c.services().size(),
                    endpoints));
        }
        return out;
    }
}
