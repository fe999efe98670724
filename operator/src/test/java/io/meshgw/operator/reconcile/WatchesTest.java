package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

class WatchesTest {

    static Node node(String... readyStatus) {
        var b = new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus();
        for (String s : readyStatus) {
            b.addNewCondition().withType("Ready").withStatus(s).endCondition();
        }
        b.addNewCondition().withType("MemoryPressure").withStatus("False").endCondition();
        return b.endStatus().build();
    }

    @Test
    void aNodeIsReadyUnlessItsReadyConditionIsFalseOrUnknown() {
        assertThat(Watches.ready(node("True"))).isTrue();
        assertThat(Watches.ready(node()))
                .as("no Ready condition: nothing judged it")
                .isTrue();
        assertThat(Watches.ready(new NodeBuilder().build())).isTrue();
        assertThat(Watches.ready(node("False"))).isFalse();
        assertThat(Watches.ready(node("Unknown")))
                .as("the kubelet stopped reporting")
                .isFalse();
    }
}
