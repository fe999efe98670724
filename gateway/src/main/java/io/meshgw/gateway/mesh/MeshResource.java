package io.meshgw.gateway.mesh;

import io.meshgw.gateway.api.v1.MeshClusterView;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The other clusters as this gateway sees them, for operators and the CLI. */
@Path("/api/v1/mesh")
@Produces(MediaType.APPLICATION_JSON)
public class MeshResource {

    private final MeshService mesh;

    MeshResource(MeshService mesh) {
        this.mesh = mesh;
    }

    @GET
    @Path("/clusters")
    public List<MeshClusterView> clusters() {
        return mesh.clusterViews();
    }
}
