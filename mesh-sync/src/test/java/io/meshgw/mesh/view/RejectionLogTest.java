package io.meshgw.mesh.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.wire.StateTopics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A topic full of records that do not validate (a broken or hostile publisher) is counted in full
 * but does not flood the log: the first 20 rejections are logged, then every 1000th.
 */
class RejectionLogTest {

    @Test
    void theFirstTwentyRejectionsAreLoggedThenEveryThousandth() {
        var view = new MeshView(new ViewOptions(
                StateTopics.DEFAULT,
                1,
                Duration.ofSeconds(10),
                Duration.ofMinutes(10),
                new MutableClock(Instant.parse("2026-01-01T00:00:00Z"))));
        List<String> logged;
        PrintStream stderr = System.err;
        var captured = new ByteArrayOutputStream();
        // The test logger (slf4j-simple) writes to whatever System.err is at the time.
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (int offset = 0; offset < 2500; offset++) {
                view.onRecord(new RawRecord("meshgw.state.2", offset, "eps/default/web/a", Map.of(), new byte[] {1}));
            }
        } finally {
            System.setErr(stderr);
        }
        logged = captured.toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("rejected record"))
                .toList();

        assertThat(logged).hasSize(22);
        assertThat(logged.get(0)).contains("meshgw.state.2@0: header meshgw.v is missing");
        assertThat(logged.get(18)).doesNotContain("every 1000th");
        assertThat(logged.get(19)).contains("meshgw.state.2@19: ").contains("every 1000th rejection is logged");
        assertThat(logged.get(20)).contains("meshgw.state.2@999: ").doesNotContain("every 1000th");
        assertThat(logged.get(21)).contains("meshgw.state.2@1999: ");
        MeshMetrics m = view.metrics(Map.of());
        assertThat(m.rejected()).isEqualTo(2500);
        assertThat(m.applied()).isZero();
    }
}
