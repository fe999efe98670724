package io.meshgw.gateway;

import io.meshgw.gateway.api.v1.InfoView;
import io.meshgw.gateway.control.ControlPlane;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What is running: lets an operator (and the CLI) confirm which gateway build answers. */
@Path("/api/v1/info")
public class InfoResource {

    @ConfigProperty(name = "quarkus.application.name")
    String name;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    private final ControlPlane controlPlane;

    InfoResource(ControlPlane controlPlane) {
        this.controlPlane = controlPlane;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public InfoView info() {
        return new InfoView(
                name,
                version,
                Runtime.version().toString(),
                System.getProperty("os.version"),
                controlPlane.mode(),
                controlPlane.identity(),
                controlPlane.leading(),
                controlPlane.leader().orElse(null),
                controlPlane.node().orElse(null));
    }
}
