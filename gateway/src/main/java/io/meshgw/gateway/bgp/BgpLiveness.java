package io.meshgw.gateway.bgp;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while the speaker's one thread still turns: a no-op posted to it must run within {@link #BOUND}. Every
 * session, timer and route of the speaker lives on that thread, so a thread that is stuck (or gone) leaves the
 * sessions to expire at the routers while the process looks alive; only a restart mends it.
 */
@Liveness
@ApplicationScoped
public class BgpLiveness implements HealthCheck {

    /** Well under the probe's timeout; the loop's work is cut into parts far shorter than this. */
    static final Duration BOUND = Duration.ofSeconds(2);

    private final BgpService bgp;

    BgpLiveness(BgpService bgp) {
        this.bgp = bgp;
    }

    @Override
    public HealthCheckResponse call() {
        var b = HealthCheckResponse.named("bgp-event-loop");
        var speaker = bgp.speaker();
        if (speaker.isEmpty()) {
            return b.withData("enabled", false).up().build();
        }
        try {
            speaker.get().turn().get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return b.up().build();
        } catch (TimeoutException e) {
            return b.withData("reason", "the speaker's thread did not run a no-op within " + BOUND.toMillis() + " ms")
                    .down()
                    .build();
        } catch (ExecutionException e) {
            return b.withData("reason", "the speaker's thread takes no work: " + e.getCause())
                    .down()
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return b.withData("reason", "interrupted").down().build();
        }
    }
}
