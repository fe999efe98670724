package io.meshgw.gateway.mesh;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once every remote cluster's state was read to its end and this cluster publishes: before
 * that, remote backends would be missing and VIPs served by other clusters would be dropped.
 */
@Readiness
@ApplicationScoped
public class MeshReadiness implements HealthCheck {

    private final MeshService mesh;

    MeshReadiness(MeshService mesh) {
        this.mesh = mesh;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("mesh").withData("enabled", mesh.enabled());
        if (!mesh.enabled()) {
            return b.up().build();
        }
        boolean synced = mesh.synced();
        boolean publishing = mesh.publishing();
        b.withData("synced", synced).withData("publishing", publishing);
        return synced && publishing ? b.up().build() : b.down().build();
    }
}
