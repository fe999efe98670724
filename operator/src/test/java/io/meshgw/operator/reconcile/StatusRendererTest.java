package io.meshgw.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.crd.MeshServiceExportStatus;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRendererTest {
    static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T2 = Instant.parse("2026-01-01T00:10:00Z");
    static final ResourceRef WEB = new ResourceRef("MeshServiceExport", new ObjectKey("shop", "web"));

    static ObjectOutcome export(long generation, boolean ready, String message) {
        return new ObjectOutcome(
                WEB,
                generation,
                List.of(
                        ConditionState.ready(ready, ready ? "Exported" : "ServiceNotFound", message),
                        ConditionState.unknown(ConditionState.DEGRADED, "not applied")),
                new StatusFields.Export(
                        Optional.of(IpAddress.parse("192.0.2.1")), Map.of(Fixtures.WEST, 3, Fixtures.EAST, 2)));
    }

    @Test
    void rendersTheKindsFieldsAndConditionsForTheGeneration() {
        var status = (MeshServiceExportStatus) StatusRenderer.render(export(4, true, "ok"), null, T1);
        assertThat(status.observedGeneration).isEqualTo(4L);
        assertThat(status.assignedVip).isEqualTo("192.0.2.1");
        assertThat(status.clusters).extracting(c -> c.cluster).containsExactly("east", "west");
        assertThat(status.conditions).extracting(c -> c.getType()).containsExactly("Ready", "Degraded");
        assertThat(status.conditions.get(1).getStatus()).isEqualTo("Unknown");
        assertThat(status.conditions.getFirst().getObservedGeneration()).isEqualTo(4L);
        assertThat(status.conditions.getFirst().getLastTransitionTime()).isEqualTo(T1.toString());
    }

    @Test
    void aConditionKeepsItsTransitionTimeUntilItsStatusFlips() {
        var first = StatusRenderer.render(export(1, true, "ok"), null, T1);
        var sameStatus = StatusRenderer.render(export(2, true, "still ok"), first, T2);
        assertThat(sameStatus.conditions.getFirst().getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(sameStatus.conditions.getFirst().getMessage()).isEqualTo("still ok");
        var flipped = StatusRenderer.render(export(3, false, "gone"), sameStatus, T2);
        assertThat(flipped.conditions.getFirst().getLastTransitionTime()).isEqualTo(T2.toString());
    }

    @Test
    void conditionsOfOtherTypesAreKept() {
        var current = new ResourceStatus();
        current.conditions.add(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                .withType("Custom")
                .withStatus("True")
                .build());
        var status = StatusRenderer.render(export(1, true, "ok"), current, T1);
        assertThat(status.conditions).extracting(c -> c.getType()).containsExactly("Custom", "Ready", "Degraded");
    }

    @Test
    void aPeerStatusCarriesTheSessionCounters() {
        var session =
                new PeerSession(PeerSession.State.Active, Optional.empty(), 0, 0, 0, Optional.of("connection refused"));
        var outcome = new ObjectOutcome(
                new ResourceRef("BgpPeer", new ObjectKey("net", "tor1")),
                1,
                List.of(ConditionState.degraded(true, "SessionDown", "session is Active")),
                new StatusFields.Peer(Optional.of(session)));
        var status = (BgpPeerStatus) StatusRenderer.render(outcome, null, T1);
        assertThat(status.sessionState).isEqualTo("Active");
        assertThat(status.establishedSince).isNull();
        assertThat(status.lastError).isEqualTo("connection refused");
    }

    @Test
    void aPeerStatusCountsTheAcceptedRoutesOfEachFamilyInTheFamiliesOrder() {
        var session = new PeerSession(PeerSession.State.Established, Optional.empty(), 12, 10, 3, Optional.empty())
                .withAcceptedPrefixesByFamily(Map.of(AddressFamily.IPV6_UNICAST, 2L, AddressFamily.IPV4_UNICAST, 8L));
        var outcome = new ObjectOutcome(
                new ResourceRef("BgpPeer", new ObjectKey("net", "tor1")),
                1,
                List.of(),
                new StatusFields.Peer(Optional.of(session)));
        var status = (BgpPeerStatus) StatusRenderer.render(outcome, null, T1);
        assertThat(status.acceptedPrefixesByFamily)
                .extracting(c -> c.family, c -> c.count)
                .containsExactly(tuple(AddressFamily.IPV4_UNICAST, 8L), tuple(AddressFamily.IPV6_UNICAST, 2L));
    }

    @Test
    void theLeaseHolderKeepsTheNodesEntriesAsTheyWroteThemAndDropsTheOthers() {
        var current = new BgpPeerStatus();
        current.nodes = new java.util.ArrayList<>();
        for (var name : List.of("node-c", "node-gone", "node-a")) {
            var entry = new BgpPeerStatus.NodeSession();
            entry.node = name;
            entry.sessionState = "Established";
            entry.receivedPrefixes = 7L;
            current.nodes.add(entry);
        }
        var outcome = new ObjectOutcome(
                new ResourceRef("BgpPeer", new ObjectKey("net", "tor1")),
                1,
                List.of(ConditionState.ready(true, "Established", "Established on node-a, node-c")),
                new StatusFields.Peer(Optional.empty(), List.of("node-a", "node-c")));
        var status = (BgpPeerStatus) StatusRenderer.render(outcome, current, T1);
        assertThat(status.nodes)
                .as("in the order the nodes wrote them: a node's patch tests its entry's index")
                .extracting(e -> e.node + "=" + e.receivedPrefixes)
                .containsExactly("node-c=7", "node-a=7");

        var none = new ObjectOutcome(
                outcome.ref(), 1, outcome.conditions(), new StatusFields.Peer(Optional.empty(), List.of()));
        assertThat(((BgpPeerStatus) StatusRenderer.render(none, current, T1)).nodes)
                .isNull();
    }
}
