package io.meshgw.bpf.datapath;

import java.time.Duration;
import java.util.Optional;

/**
 * The conntrack expiry sweeper of an attached datapath, as liveness and metrics see it.
 *
 * @param running whether the sweeper thread is alive (false for a datapath that is not attached, which has none)
 * @param passes sweeps completed
 * @param failures sweeps that threw (an {@link Error} included); each is logged and the next pass runs as usual
 * @param sinceLastPass time since the last completed sweep, or since the sweeper started when none has completed;
 *     empty without a sweeper
 */
public record ConntrackSweep(boolean running, long passes, long failures, Optional<Duration> sinceLastPass) {

    /**
     * A sweeper is healthy while it runs and completed a pass within {@code grace}: a dead thread, a pass that hangs,
     * or passes that fail one after another all leave closed flows holding their SNAT ports.
     */
    public boolean healthy(Duration grace) {
        return running && sinceLastPass.map(d -> d.compareTo(grace) <= 0).orElse(false);
    }
}
