package io.meshgw.gateway.mesh;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live unless the mesh reader's thread ended or is stuck (or the heartbeats stopped being judged): the other
 * clusters' state would then freeze while the gateway serves it, and only a restart mends it. A consumer that
 * failed and is being replaced (a broker down, an ACL missing) does not fail liveness: a restart cannot mend the
 * brokers, and would reset every BGP session of the node for nothing. That is reported per cluster and by
 * readiness ({@link MeshReadiness}).
 */
@Liveness
@ApplicationScoped
public class MeshLiveness implements HealthCheck {

    private final MeshService mesh;

    MeshLiveness(MeshService mesh) {
        this.mesh = mesh;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("mesh-reader");
        var stalled = mesh.readerStalled();
        if (stalled.isPresent()) {
            return b.withData("reason", stalled.get()).down().build();
        }
        return b.up().build();
    }
}
