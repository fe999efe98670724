package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the node role's and the gateway's steering maps are made to hold, without a kernel. */
class NodeSteeringTest {

    static final NodeSteering STEERING = new NodeSteering(
            Optional.of(Ipv4.parse("10.0.0.2")),
            Map.of(
                    Ipv4.parse("10.244.1.10"),
                    new NodeSteering.Pod(7, Optional.of(Ipv4.parse("10.0.0.1"))),
                    Ipv4.parse("10.244.1.12"),
                    new NodeSteering.Pod(8, Optional.of(Ipv4.parse("10.0.0.1"))),
                    Ipv4.parse("10.244.1.11"),
                    new NodeSteering.Pod(9, Optional.empty())),
            List.of(Ipv4Prefix.parse("192.0.2.0/24"), Ipv4Prefix.parse("192.0.2.0/24")));

    @Test
    void aPodWithoutAnOwnerIsWrittenWithOwnerZeroSoTheProgramDropsItsPackets() {
        assertThat(STEERING.podEntries())
                .containsEntry(Ipv4.toInt(Ipv4.parse("10.244.1.11")), new NodeMaps.PodValue(0, 9))
                .containsEntry(
                        Ipv4.toInt(Ipv4.parse("10.244.1.10")),
                        new NodeMaps.PodValue(Ipv4.toInt(Ipv4.parse("10.0.0.1")), 7));
    }

    @Test
    void theRepliesOfEachOwnerAreAcceptedOnceAndDestinationsAreWrittenOnce() {
        assertThat(STEERING.gatewayEntries()).containsOnlyKeys(Ipv4.toInt(Ipv4.parse("10.0.0.1")));
        assertThat(STEERING.destinationEntries())
                .containsOnlyKeys(new MapRecords.IdentKey(24, Ipv4.toInt(Ipv4.parse("192.0.2.0"))));
    }

    @Test
    void everyGatewayOfTheClusterIsAcceptedAndTheSteeredPodsAreAmongThisNodesPods() {
        var both = new NodeSteering(
                STEERING.self(),
                STEERING.pods(),
                STEERING.destinations(),
                Set.of(Ipv4.parse("10.0.0.3")),
                Set.of(Ipv4.parse("10.244.1.20")));
        assertThat(both.gatewayEntries())
                .containsOnlyKeys(Ipv4.toInt(Ipv4.parse("10.0.0.1")), Ipv4.toInt(Ipv4.parse("10.0.0.3")));
        assertThat(both.localEntries())
                .containsOnlyKeys(
                        Ipv4.toInt(Ipv4.parse("10.244.1.20")),
                        Ipv4.toInt(Ipv4.parse("10.244.1.10")),
                        Ipv4.toInt(Ipv4.parse("10.244.1.11")),
                        Ipv4.toInt(Ipv4.parse("10.244.1.12")));
    }

    @Test
    void aBackendsNodeIsAcceptedAsWellAsSentTo() {
        var table = new SteeringTable(
                Set.of(Ipv4.parse("10.0.0.5")), Map.of(), Map.of(Ipv4.parse("10.244.1.20"), Ipv4.parse("10.0.0.2")));
        assertThat(table.nodes()).containsExactlyInAnyOrder(Ipv4.parse("10.0.0.5"), Ipv4.parse("10.0.0.2"));
        assertThat(table.backendNodeEntries())
                .containsExactly(Map.entry(Ipv4.toInt(Ipv4.parse("10.244.1.20")), Ipv4.toInt(Ipv4.parse("10.0.0.2"))));
        assertThatThrownBy(() ->
                        new SteeringTable(Set.of(), Map.of(), Map.of(Ipv4.parse("0.0.0.0"), Ipv4.parse("10.0.0.2"))))
                .hasMessageContaining("backend's address is 0.0.0.0");
    }

    @Test
    void aPodSteeredToThisNodeItselfIsRefusedWithBothAddresses() {
        assertThatThrownBy(() -> new NodeSteering(
                        Optional.of(Ipv4.parse("10.0.0.2")),
                        Map.of(Ipv4.parse("10.244.1.10"), new NodeSteering.Pod(7, Optional.of(Ipv4.parse("10.0.0.2")))),
                        List.of()))
                .hasMessageContaining("10.244.1.10")
                .hasMessageContaining("10.0.0.2");
    }

    @Test
    void thePodValueIsTheOwnerInNetworkOrderThenTheIdentityInHostOrder() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(NodeMaps.POD.size());
            NodeMaps.POD.write(new NodeMaps.PodValue(Ipv4.toInt(Ipv4.parse("10.0.0.1")), 7), s, 0);
            assertThat(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).containsExactly(10, 0, 0, 1, 7, 0, 0, 0);
            assertThat(NodeMaps.POD.read(s, 0)).isEqualTo(new NodeMaps.PodValue(Ipv4.toInt(Ipv4.parse("10.0.0.1")), 7));
        }
    }

    @Test
    void anIdentityOwnedElsewhereWithoutAKnownOwnerIsWrittenAsZero() {
        SteeringTable t = new SteeringTable(
                Set.of(Ipv4.parse("10.0.0.2")), Map.of(7, Optional.empty(), 8, Optional.of(Ipv4.parse("10.0.0.4"))));
        assertThat(t.ownerEntries()).containsEntry(7, 0).containsEntry(8, Ipv4.toInt(Ipv4.parse("10.0.0.4")));
        assertThat(t.nodeEntries()).containsOnlyKeys(Ipv4.toInt(Ipv4.parse("10.0.0.2")));
        assertThatThrownBy(() -> new SteeringTable(Set.of(), Map.of(0, Optional.empty())))
                .hasMessageContaining("positive");
    }
}
