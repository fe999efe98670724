package io.meshgw.mesh.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.EndpointSlice;
import io.meshgw.mesh.state.Heartbeat;
import io.meshgw.mesh.state.ServiceExport;
import io.meshgw.mesh.state.ServiceKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ValidatorTest {

    private final Validator validator = new Validator(StateTopics.DEFAULT);
    private static final ServiceExport WEB = new ServiceExport("default", "web", List.of(), Map.of(), Optional.empty());

    private static RawRecord record(String topic, String key, RecordHeaders h, byte[] value) {
        return new RawRecord(topic, 17, key, h.toKafka(), value);
    }

    private String rejection(RawRecord r) {
        Verdict v = validator.validate(r);
        assertThat(v).isInstanceOf(Verdict.Rejected.class);
        return ((Verdict.Rejected) v).reason();
    }

    @Test
    void aConsistentPutAndTombstoneAreAccepted() {
        RecordHeaders h = RecordHeaders.v1(5, 2, 9);
        Verdict put = validator.validate(record("meshgw.state.5", "svc/default/web", h, ValueCodec.encode(5, WEB)));
        assertThat(put).isEqualTo(new Verdict.Accepted(new ValidRecord("meshgw.state.5", 17, h, WEB.key(), WEB)));
        Verdict tomb = validator.validate(record("meshgw.state.5", "svc/default/web", h, null));
        assertThat(((Verdict.Accepted) tomb).record().tombstone()).isTrue();
        assertThat(((Verdict.Accepted) tomb).record().key()).isEqualTo(new ServiceKey("default", "web"));
    }

    @Test
    void theTopicTheHeadersAndTheValueMustNameTheSameCluster() {
        byte[] v5 = ValueCodec.encode(5, WEB);
        assertThat(rejection(record("meshgw.state.6", "svc/default/web", RecordHeaders.v1(5, 1, 1), v5)))
                .isEqualTo("header cluster 5 differs from the topic's cluster 6");
        assertThat(rejection(record("meshgw.state.6", "svc/default/web", RecordHeaders.v1(6, 1, 1), v5)))
                .isEqualTo("value is owned by cluster 5 but the headers say cluster 6");
        var slice = new EndpointSlice("default", "web", "a", 5, List.of(), List.of());
        assertThat(rejection(record(
                        "meshgw.state.6", "eps/default/web/a", RecordHeaders.v1(6, 1, 1), ValueCodec.encode(5, slice))))
                .contains("owned by cluster 5");
    }

    @Test
    void keyAndValueMustAgree() {
        assertThat(rejection(record(
                        "meshgw.state.5", "svc/default/api", RecordHeaders.v1(5, 1, 1), ValueCodec.encode(5, WEB))))
                .isEqualTo("value belongs under key svc/default/web, not svc/default/api");
        byte[] hb = ValueCodec.encode(5, new Heartbeat(Instant.EPOCH, "a"));
        assertThat(rejection(record("meshgw.state.5", "meta/synced", RecordHeaders.v1(5, 1, 1), hb)))
                .contains("belongs under key meta/heartbeat");
    }

    @Test
    void unknownVersionsGarbageAndBadKeysAreRejected() {
        RecordHeaders h = RecordHeaders.v1(5, 1, 1);
        Map<String, byte[]> v2 = new HashMap<>(h.toKafka());
        v2.put(WireFormat.H_VERSION, new byte[] {2});
        assertThat(rejection(new RawRecord("meshgw.state.5", 1, "svc/default/web", v2, ValueCodec.encode(5, WEB))))
                .contains("format version 2 is not one this build reads");
        byte[] v2value = ValueCodec.encode(5, WEB);
        v2value[0] = 2;
        assertThat(rejection(record("meshgw.state.5", "svc/default/web", h, v2value)))
                .contains("value does not decode: value format version 2");
        assertThat(rejection(record("meshgw.state.5", "svc/default/web", h, new byte[] {(byte) 0xde, (byte) 0xad})))
                .startsWith("value does not decode");
        assertThat(rejection(record("meshgw.state.5", "svc/Default/web", h, ValueCodec.encode(5, WEB))))
                .contains("namespace 'Default'");
        assertThat(rejection(new RawRecord("meshgw.state.5", 1, "svc/default/web", Map.of(), null)))
                .isEqualTo("header meshgw.v is missing");
    }

    @Test
    void onlyStateTopicsAndDeletableKeysAreAccepted() {
        RecordHeaders h = RecordHeaders.v1(5, 1, 1);
        assertThat(rejection(record("other.5", "svc/default/web", h, null))).contains("not a state topic");
        assertThat(rejection(record("meshgw.state.05", "svc/default/web", h, null)))
                .contains("not a state topic");
        assertThat(rejection(record("meshgw.state.5", "meta/synced", h, null)))
                .isEqualTo("tombstone for meta/synced, which is never deleted");
    }

    @Test
    void topicNamesMapToClusters() {
        assertThat(StateTopics.DEFAULT.clusterOf("meshgw.state.4095")).isEqualTo(4095);
        assertThat(StateTopics.DEFAULT.clusterOf("meshgw.state.4096")).isZero();
        assertThat(StateTopics.DEFAULT.clusterOf("meshgw.state.")).isZero();
        assertThat(StateTopics.DEFAULT.clusterOf("meshgw.state.1x")).isZero();
        assertThat(StateTopics.DEFAULT.pattern().matcher("meshgw.state.12").matches())
                .isTrue();
        assertThat(StateTopics.DEFAULT.pattern().matcher("meshgw-state-12").matches())
                .isFalse();
        assertThat(StateTopics.DEFAULT.topicOf(3)).isEqualTo("meshgw.state.3");
        var others = StateTopics.DEFAULT.patternExcluding(12);
        assertThat(others.matcher("meshgw.state.12").matches()).isFalse();
        assertThat(others.matcher("meshgw.state.1").matches()).isTrue();
        assertThat(others.matcher("meshgw.state.123").matches()).isTrue();
        assertThat(others.matcher("meshgw.state.2").matches()).isTrue();
    }
}
