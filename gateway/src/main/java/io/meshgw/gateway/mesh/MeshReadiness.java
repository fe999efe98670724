package io.meshgw.gateway.mesh;

import io.meshgw.gateway.control.ControlPlane;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every remote cluster's state was read to its end and, on the replica that writes for the cluster, this
 * cluster publishes: before that, remote backends would be missing and VIPs served by other clusters would be
 * dropped. A replica that does not hold the Lease never publishes and is ready without it.
 */
@Readiness
@ApplicationScoped
public class MeshReadiness implements HealthCheck {

    private final MeshService mesh;
    private final ControlPlane controlPlane;

    MeshReadiness(MeshService mesh, ControlPlane controlPlane) {
        this.mesh = mesh;
        this.controlPlane = controlPlane;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("mesh").withData("enabled", mesh.enabled());
        if (!mesh.enabled()) {
            return b.up().build();
        }
        boolean synced = mesh.synced();
        boolean publishing = mesh.publishing();
        boolean leading = controlPlane.leading();
        b.withData("synced", synced).withData("publishing", publishing).withData("leading", leading);
        boolean reading = true;
        var health = mesh.readerHealth();
        if (health.isPresent()) {
            reading = health.get().up();
            b.withData("reader", health.get().down().orElse("reading"));
            health.get().unreadable().forEach((topic, reason) -> b.withData("unreadable " + topic, reason));
        }
        return reading && synced && (publishing || !leading)
                ? b.up().build()
                : b.down().build();
    }
}
