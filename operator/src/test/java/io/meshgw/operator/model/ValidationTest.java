package io.meshgw.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ValidationTest {
    @Test
    void combinesInOrderAndOkIsNeutral() {
        var a = Validation.of("spec.a", "bad");
        var b = Validation.of("spec.b", "worse");
        assertThat(Validation.OK.and(a).and(Validation.OK).and(b).violations())
                .containsExactly(new Violation("spec.a", "bad"), new Violation("spec.b", "worse"));
        assertThat(Validation.OK.isValid()).isTrue();
        assertThat(a.messages()).containsExactly("spec.a: bad");
    }
}
