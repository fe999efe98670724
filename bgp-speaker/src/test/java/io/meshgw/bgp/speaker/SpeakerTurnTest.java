package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.transport.EpollTransport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The no-op a liveness probe posts to the speaker's one thread, on the real transport. */
class SpeakerTurnTest {

    @Test
    void aStuckEventLoopLeavesItsTurnUnansweredUntilItRunsAgain() throws Exception {
        var transport = new EpollTransport();
        try (var speaker = BgpSpeaker.start(
                new SpeakerConfig(65000, SpeakerConfig.routerId("192.0.2.1"), InetAddress.getLoopbackAddress(), 0),
                transport)) {
            assertThat(speaker.turn()).succeedsWithin(Duration.ofSeconds(10));

            var release = new CountDownLatch(1);
            var holding = new CountDownLatch(1);
            transport.execute(() -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();

            var turn = speaker.turn();
            Thread.sleep(300);
            assertThat(turn).as("the thread is held: the no-op waits behind it").isNotDone();

            release.countDown();
            assertThat(turn).succeedsWithin(Duration.ofSeconds(10));
        }
    }
}
