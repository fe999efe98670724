package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.desired.Fixtures;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileLoopTest {
    static OperatorOptions options(Duration debounce, Duration resync) {
        var base = OperatorOptions.defaults(Fixtures.EAST, "ns", "test");
        return new OperatorOptions(
                base.localCluster(),
                base.leaseNamespace(),
                base.leaseName(),
                base.identity(),
                base.secretsNamespace(),
                base.leaseDuration(),
                base.renewDeadline(),
                base.retryPeriod(),
                resync,
                debounce,
                Duration.ofMillis(20),
                base.node(),
                base.tunnelEndpoint());
    }

    @Test
    void aBurstOfEventsMakesOnePass() throws Exception {
        var passes = new AtomicInteger();
        try (var loop = new ReconcileLoop(
                "test", passes::incrementAndGet, options(Duration.ofMillis(200), Duration.ofHours(1)))) {
            for (int i = 0; i < 50; i++) loop.trigger();
            Await.until("one pass", () -> passes.get() == 1);
            Thread.sleep(400); // longer than the debounce: a second pass would have run by now
            assertThat(passes.get()).isEqualTo(1);
        }
    }

    @Test
    void aFailedPassIsRetriedWithoutAnEvent() {
        var attempts = new AtomicInteger();
        Runnable failTwice = () -> {
            if (attempts.incrementAndGet() <= 2) throw new IllegalStateException("port unavailable");
        };
        try (var loop = new ReconcileLoop("test", failTwice, options(Duration.ofMillis(1), Duration.ofHours(1)))) {
            loop.trigger();
            Await.until("third attempt succeeds", () -> attempts.get() == 3);
        }
    }

    @Test
    void theResyncRunsPassesWithoutEvents() {
        var passes = new AtomicInteger();
        try (var loop = new ReconcileLoop(
                "test", passes::incrementAndGet, options(Duration.ofMillis(1), Duration.ofMillis(50)))) {
            loop.start();
            Await.until("several resync passes", () -> passes.get() >= 3);
        }
    }
}
