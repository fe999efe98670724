package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerStatus;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.ResourceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Lease holder's reading of every node's session in BgpPeer status.nodes. */
class NodeSessionsTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");
    static final ResourceRef TOR_REF = new ResourceRef("BgpPeer", TOR);

    static GatewayNode node(String name, String rack) {
        return new GatewayNode(name, Map.of("topology.example.com/rack", rack));
    }

    static BgpPeer rackPeer(BgpPeerStatus.NodeSession... reported) {
        var tor = peer("net", "tor1", 1, "192.0.2.1", 65000);
        tor.getSpec().nodeSelector = PeerPlannerTest.rack("r1");
        var status = new BgpPeerStatus();
        status.nodes = new ArrayList<>(List.of(reported));
        tor.setStatus(status);
        return tor;
    }

    static BgpPeerStatus.NodeSession entry(String node, String state, String lastError) {
        var e = new BgpPeerStatus.NodeSession();
        e.node = node;
        e.sessionState = state;
        e.lastError = lastError;
        return e;
    }

    /** Planned by {@code here}, among {@code nodes}. */
    static ObjectOutcome plannedOn(GatewayNode here, List<GatewayNode> nodes, BgpPeer tor, PeerSession... own) {
        var snapshot = Snapshot.builder(Fixtures.EAST)
                .peers(List.of(tor))
                .node(here)
                .nodes(nodes)
                .sessions(own.length == 0 ? Map.of() : Map.of(TOR, own[0]))
                .build();
        return Planner.plan(snapshot).outcome(TOR_REF).orElseThrow();
    }

    @Test
    void theLeaseHolderOnANodeWithoutTheSessionSummarisesTheNodesThatRunItAndNamesTheOnesDown() {
        var tor = rackPeer(entry("node-b", "Established", null), entry("node-c", "Active", "connection refused"));
        var here = node("node-a", "r2");
        var outcome = plannedOn(here, List.of(here, node("node-b", "r1"), node("node-c", "r1")), tor);

        var ready = outcome.condition(ConditionState.READY).orElseThrow();
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("SessionDown");
        assertThat(ready.message())
                .isEqualTo("not Established on node-c (Active: connection refused); Established on node-b");
        assertThat(outcome.condition(ConditionState.DEGRADED).orElseThrow().status())
                .isEqualTo("True");
        assertThat(((StatusFields.Peer) outcome.fields()).nodes()).containsExactly("node-b", "node-c");
    }

    @Test
    void entriesOfNodesThatAreGoneOrNoLongerSelectedAreNotKept() {
        var tor = rackPeer(
                entry("node-gone", "Active", null),
                entry("node-b", "Established", null),
                entry("node-moved", "Idle", null));
        var here = node("node-a", "r2");
        var outcome = plannedOn(here, List.of(here, node("node-b", "r1"), node("node-moved", "r2")), tor);

        assertThat(((StatusFields.Peer) outcome.fields()).nodes()).containsExactly("node-b");
        var ready = outcome.condition(ConditionState.READY).orElseThrow();
        assertThat(ready.status()).isEqualTo("True");
        assertThat(ready.message()).isEqualTo("Established on node-b");
    }

    @Test
    void theLeaseHoldersOwnNodeCountsWithTheSessionItsSpeakerHasNowNotTheOneItLastWrote() {
        var tor = rackPeer(entry("node-a", "Active", "hold timer expired"), entry("node-b", "Established", null));
        var here = node("node-a", "r1");
        var established =
                new PeerSession(PeerSession.State.Established, Optional.of(Instant.EPOCH), 1, 1, 1, Optional.empty());
        var outcome = plannedOn(here, List.of(here, node("node-b", "r1")), tor, established);

        var ready = outcome.condition(ConditionState.READY).orElseThrow();
        assertThat(ready.status()).isEqualTo("True");
        assertThat(ready.message()).isEqualTo("Established on node-a, node-b");
        assertThat(((StatusFields.Peer) outcome.fields()).nodes()).containsExactly("node-a", "node-b");
    }

    @Test
    void aSelectedNodeWhoseSpeakerHasNoSessionYetIsNamedAsNotEstablished() {
        var here = node("node-a", "r1");
        var outcome = plannedOn(here, List.of(here), rackPeer());
        var ready = outcome.condition(ConditionState.READY).orElseThrow();
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.message()).isEqualTo("not Established on node-a (no session yet)");
    }
}
