package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bpf.datapath.ConntrackSweep;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class DatapathLivenessTest {

    /** A DatapathService whose sweeper is as given. */
    static DatapathService sweeping(Optional<ConntrackSweep> sweep) {
        return new DatapathService(null, null) {
            @Override
            public Optional<ConntrackSweep> conntrackSweep() {
                return sweep;
            }
        };
    }

    static HealthCheckResponse.Status status(Optional<ConntrackSweep> sweep) {
        return new DatapathLiveness(sweeping(sweep)).call().getStatus();
    }

    @Test
    void aDeadOrStalledConntrackSweeperFailsLiveness() {
        Duration recent = Duration.ofSeconds(12);
        assertThat(status(Optional.of(new ConntrackSweep(true, 40, 1, Optional.of(recent)))))
                .as("a pass failed, the next completed")
                .isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(status(Optional.of(new ConntrackSweep(false, 40, 0, Optional.of(recent)))))
                .as("the sweeper thread ended")
                .isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(status(Optional.of(new ConntrackSweep(true, 40, 7, Optional.of(Duration.ofSeconds(75))))))
                .as("no pass completed for over a minute: failing or hung")
                .isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(status(Optional.empty()))
                .as("no attached datapath, no sweeper to watch")
                .isEqualTo(HealthCheckResponse.Status.UP);
    }
}
