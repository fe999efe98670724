package io.meshgw.gateway.datapath;

import io.meshgw.bpf.datapath.ConntrackSweep;
import io.meshgw.bpf.datapath.Datapath;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the attached datapath's conntrack sweeper completes a pass at least once a minute (six periods): a
 * sweeper whose thread ended, whose pass hangs, or whose passes keep failing leaves every closed egress flow holding
 * its SNAT port until the range runs out, which a restart mends (the pinned datapath forwards meanwhile).
 */
@Liveness
@ApplicationScoped
public class DatapathLiveness implements HealthCheck {

    /** How long without a completed sweep is taken for a dead sweeper. */
    static final Duration GRACE = Datapath.CONNTRACK_SWEEP.multipliedBy(6);

    private final DatapathService datapath;

    DatapathLiveness(DatapathService datapath) {
        this.datapath = datapath;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("datapath-conntrack-sweep");
        Optional<ConntrackSweep> sweep = datapath.conntrackSweep();
        if (sweep.isEmpty()) {
            return builder.withData("attached", false).up().build();
        }
        ConntrackSweep s = sweep.get();
        builder.withData("running", s.running())
                .withData("passes", s.passes())
                .withData("failures", s.failures())
                .withData(
                        "secondsSinceLastPass",
                        s.sinceLastPass().map(Duration::toSeconds).orElse(-1L));
        return s.healthy(GRACE) ? builder.up().build() : builder.down().build();
    }
}
