package io.meshgw.bpf.libbpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BundledLibbpfTest {

    @Test
    void theJarRecordsTheLibbpfItBundles() {
        assertThat(BundledLibbpf.recordedVersion()).startsWith(BundledLibbpf.BOUND_VERSION + ".");
        assertThat(BundledLibbpf.class.getResource(BundledLibbpf.LIBRARY)).isNotNull();
    }

    @Test
    void aMissingOrEmptyRecordIsExplained() {
        assertThatThrownBy(() -> BundledLibbpf.recordedVersion(null))
                .hasMessageContaining("built without bundling libbpf")
                .hasMessageContaining("scripts/setup.sh");
        assertThatThrownBy(() -> BundledLibbpf.recordedVersion(
                        new ByteArrayInputStream("source=/x\n".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("names no version");
    }
}
