package io.meshgw.gateway;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What is running: lets an operator (and the CLI) confirm which gateway build answers. */
@Path("/api/v1/info")
public class InfoResource {

    /** Build and runtime facts of this gateway process. */
    public record Info(String name, String version, String java, String kernel) {}

    @ConfigProperty(name = "quarkus.application.name")
    String name;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Info info() {
        return new Info(name, version, Runtime.version().toString(), System.getProperty("os.version"));
    }
}
