package io.meshgw.gateway.bgp;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.speaker.PeerStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready for traffic once every configured BGP session is established: a gateway that cannot
 * announce its VIPs should not receive work.
 */
@Readiness
@ApplicationScoped
public class BgpReadiness implements HealthCheck {

    private final BgpService bgp;

    BgpReadiness(BgpService bgp) {
        this.bgp = bgp;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("bgp");
        long down = 0;
        for (PeerStatus p : bgp.peers()) {
            builder.withData(p.name(), p.state().name());
            if (p.state() != State.ESTABLISHED) {
                down++;
            }
        }
        builder.withData("enabled", bgp.running());
        return down == 0 ? builder.up().build() : builder.down().build();
    }
}
