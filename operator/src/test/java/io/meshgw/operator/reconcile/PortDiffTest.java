package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PortDiffTest {
    @Test
    void removesWhatIsNoLongerDesiredAndAppliesOnlyWhatDiffers() {
        var diff = PortDiff.of(Map.of("a", "1", "b", "2", "c", "3"), Map.of("a", "1", "b", "old", "z", "9"));
        assertThat(diff.removed()).containsExactly("z");
        assertThat(diff.applied()).containsExactly("2", "3");
    }

    @Test
    void equalStatesMakeNoCalls() {
        var diff = PortDiff.of(Map.of("a", "1"), Map.of("a", "1"));
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.applied()).isEmpty();
    }
}
