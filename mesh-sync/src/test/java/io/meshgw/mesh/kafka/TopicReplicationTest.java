package io.meshgw.mesh.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicReplicationTest {

    @Test
    void productionKeepsThreeCopiesAndAcknowledgesOnTwo() {
        assertThat(TopicReplication.production()).isEqualTo(new TopicReplication((short) 3, 2));
    }

    @Test
    void aSingleCopyNeedsOnlyItselfInSync() {
        assertThat(TopicReplication.of(1)).isEqualTo(new TopicReplication((short) 1, 1));
    }

    @Test
    void moreInSyncThanCopiesIsRefusedBecauseNoWriteCouldBeAcknowledged() {
        assertThatThrownBy(() -> new TopicReplication((short) 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min.insync.replicas 3 must be between 1 and the replication factor 2")
                .hasMessageContaining("no write could ever be acknowledged");
    }

    @Test
    void noCopiesIsRefused() {
        assertThatThrownBy(() -> TopicReplication.of(0)).hasMessageContaining("replication factor 0");
        assertThatThrownBy(() -> new TopicReplication((short) 3, 0)).hasMessageContaining("min.insync.replicas 0");
    }
}
