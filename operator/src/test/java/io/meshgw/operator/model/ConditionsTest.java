package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void buildsAStandardCondition() {
        var c = Conditions.of("Ready", true, "Established", "session up", 3, T1);
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("Established");
        assertThat(c.getMessage()).isEqualTo("session up");
        assertThat(c.getObservedGeneration()).isEqualTo(3L);
        assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void appendsANewType() {
        var ready = Conditions.of("Ready", true, "Established", "", 1, T1);
        var merged = Conditions.merge(List.of(ready), Conditions.of("Conflict", false, "NoConflict", "", 1, T2));
        assertThat(merged).extracting(c -> c.getType()).containsExactly("Ready", "Conflict");
    }

    @Test
    void unchangedStatusKeepsTransitionTimeButTakesNewReasonMessageAndGeneration() {
        var old = Conditions.of("Ready", true, "Established", "up", 1, T1);
        var merged =
                Conditions.merge(List.of(old), Conditions.of("Ready", true, "Established", "up, 12 routes", 2, T2));
        assertThat(merged).singleElement().satisfies(c -> {
            assertThat(c.getLastTransitionTime()).isEqualTo(T1.toString());
            assertThat(c.getMessage()).isEqualTo("up, 12 routes");
            assertThat(c.getObservedGeneration()).isEqualTo(2L);
        });
        assertThat(old.getMessage()).as("input untouched").isEqualTo("up");
    }

    @Test
    void changedStatusTakesTheNewTransitionTime() {
        var other = Conditions.of("Valid", true, "Ok", "", 1, T1);
        var old = Conditions.of("Ready", true, "Established", "", 1, T1);
        var merged =
                Conditions.merge(List.of(other, old), Conditions.of("Ready", false, "HoldTimerExpired", "", 1, T2));
        assertThat(merged).extracting(c -> c.getType()).containsExactly("Valid", "Ready");
        assertThat(Conditions.find(merged, "Ready")).hasValueSatisfying(c -> {
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getLastTransitionTime()).isEqualTo(T2.toString());
        });
        assertThat(Conditions.find(merged, "Absent")).isEmpty();
    }
}
