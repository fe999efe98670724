package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.KafkaSettings;
import io.meshgw.mesh.wire.StateTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The view's heartbeats are judged on a timer that one failure must not stop for good. */
class MeshReaderTickTest {

    /** A clock that fails once asked to, counting the ticker's calls. */
    static final class FailingClock extends Clock {
        final AtomicBoolean failing = new AtomicBoolean();
        final AtomicInteger tickerCalls = new AtomicInteger();

        @Override
        public Instant instant() {
            if (Thread.currentThread().getName().equals("mesh-view-tick")) {
                tickerCalls.incrementAndGet();
            }
            // On every thread: a reader that lost the brokers would otherwise hold the view's clock
            // (its time then stands still), and the ticker would not ask it.
            if (failing.get()) {
                throw new IllegalStateException("a clock that fails");
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aHeartbeatJudgementThatThrowsDoesNotStopTheLaterOnes() throws Exception {
        var clock = new FailingClock();
        var options = new ViewOptions(StateTopics.DEFAULT, 1, Duration.ofSeconds(10), Duration.ofMinutes(10), clock);
        var view = new MeshView(options);
        clock.failing.set(true);
        try (var reader = MeshReader.start(
                KafkaSettings.of("no-such-broker.invalid:9092", "test"),
                options,
                view,
                Duration.ofSeconds(1),
                Duration.ofMillis(20))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (clock.tickerCalls.get() < 5) {
                assertThat(System.nanoTime())
                        .as("judged again after a failure (%d calls)", clock.tickerCalls.get())
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }
}
