package io.meshgw.mesh.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordHeadersTest {

    @Test
    void headersRoundTrip() {
        RecordHeaders h = RecordHeaders.v1(4095, 7, 1234567890123L);
        assertThat(RecordHeaders.parse(h.toKafka())).isEqualTo(new Decoded.Ok<>(h));
    }

    @Test
    void orderingIsEpochThenSeq() {
        RecordHeaders h = RecordHeaders.v1(1, 2, 5);
        assertThat(h.after(2, 4)).isTrue();
        assertThat(h.after(1, 99)).isTrue();
        assertThat(h.after(2, 5)).isFalse();
        assertThat(h.after(3, 1)).isFalse();
    }

    @Test
    void everyBrokenHeaderHasAReason() {
        Map<String, byte[]> good = RecordHeaders.v1(3, 1, 1).toKafka();
        assertThat(reason(without(good, WireFormat.H_EPOCH))).isEqualTo("header meshgw.epoch is missing");
        assertThat(reason(with(good, WireFormat.H_CLUSTER, new byte[] {1})))
                .isEqualTo("header meshgw.cluster has 1 bytes; expected 2");
        assertThat(reason(with(good, WireFormat.H_VERSION, new byte[] {9})))
                .startsWith("format version 9 is not one this build reads");
        assertThat(reason(with(good, WireFormat.H_CLUSTER, new byte[] {0, 0}))).contains("outside 1..4095");
        assertThat(reason(with(good, WireFormat.H_SEQ, new byte[8]))).contains("both start at 1");
    }

    private static String reason(Map<String, byte[]> headers) {
        return ((Decoded.Failed<RecordHeaders>) RecordHeaders.parse(headers)).reason();
    }

    private static Map<String, byte[]> without(Map<String, byte[]> m, String key) {
        Map<String, byte[]> copy = new HashMap<>(m);
        copy.remove(key);
        return copy;
    }

    private static Map<String, byte[]> with(Map<String, byte[]> m, String key, byte[] value) {
        Map<String, byte[]> copy = new HashMap<>(m);
        copy.put(key, value);
        return copy;
    }
}
