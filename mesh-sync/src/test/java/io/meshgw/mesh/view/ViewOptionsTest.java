package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.mesh.wire.StateTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ViewOptionsTest {

    static final Duration S10 = Duration.ofSeconds(10);

    @Test
    void theDefaultsReadEveryOtherClusterOnTheSystemClock() {
        ViewOptions d = ViewOptions.defaults(7);

        assertThat(d.topics()).isEqualTo(StateTopics.DEFAULT);
        assertThat(d.localCluster()).isEqualTo(7);
        assertThat(d.unavailableAfter()).isEqualTo(S10);
        assertThat(d.forgetAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(d.clock()).isEqualTo(Clock.systemUTC());
    }

    @Test
    void timeoutsAndClockAreReplacedOneAtATime() {
        Clock fixed = Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC);
        ViewOptions o = ViewOptions.defaults(7).withTimeouts(Duration.ofSeconds(4), Duration.ofMinutes(1));

        assertThat(o)
                .isEqualTo(new ViewOptions(
                        StateTopics.DEFAULT, 7, Duration.ofSeconds(4), Duration.ofMinutes(1), Clock.systemUTC()));
        assertThat(o.withClock(fixed))
                .isEqualTo(
                        new ViewOptions(StateTopics.DEFAULT, 7, Duration.ofSeconds(4), Duration.ofMinutes(1), fixed));
    }

    @Test
    void aClusterMustBeUnavailableForAWhileBeforeItIsForgotten() {
        ViewOptions d = ViewOptions.defaults(1);

        assertThatThrownBy(() -> d.withTimeouts(Duration.ZERO, S10)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> d.withTimeouts(Duration.ofSeconds(-1), S10)).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> d.withTimeouts(S10, S10)).hasMessageContaining("must be longer than unavailableAfter");
        assertThat(d.withTimeouts(Duration.ofMillis(1), Duration.ofMillis(2)).forgetAfter())
                .isEqualTo(Duration.ofMillis(2));
    }
}
