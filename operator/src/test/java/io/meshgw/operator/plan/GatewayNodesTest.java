package io.meshgw.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.types.Ipv4Address;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayNodesTest {

    static GatewayNode node(String name, String identity, String endpoint) {
        var annotations = new java.util.HashMap<String, String>();
        if (identity != null) annotations.put(GatewayNode.GATEWAY_IDENTITY, identity);
        if (endpoint != null) annotations.put(GatewayNode.TUNNEL_ENDPOINT, endpoint);
        return new GatewayNode(name, Map.of(), annotations);
    }

    @Test
    void theGatewayNodesAreTheNodesWhoseGatewayNamedItselfAndAnEndpointAndTheOwnerIsTheLeaseHolders() {
        var nodes = List.of(
                node("node-b", "gw-b", "10.1.0.2"),
                node("node-a", "gw-a", "10.1.0.1"),
                node("worker", null, null),
                node("node-c", "gw-c", null));

        var gateways = GatewayNodes.of(nodes, Optional.of("gw-b"));

        assertThat(gateways.endpoints())
                .containsExactly(
                        Map.entry("node-a", Ipv4Address.parse("10.1.0.1")),
                        Map.entry("node-b", Ipv4Address.parse("10.1.0.2")));
        assertThat(gateways.egressOwner()).contains(Ipv4Address.parse("10.1.0.2"));
        assertThat(GatewayNodes.of(nodes, Optional.of("gw-c")).egressOwner())
                .as("the holder's node names no endpoint: nowhere to steer to")
                .isEmpty();
        assertThat(GatewayNodes.of(nodes, Optional.empty()).egressOwner()).isEmpty();
        assertThat(GatewayNodes.of(nodes, Optional.of("gone")).egressOwner()).isEmpty();
    }

    @Test
    void anEndpointThatIsNoIpv4AddressOrThatTwoNodesClaimNamesNoGateway() {
        var gateways = GatewayNodes.of(
                List.of(
                        node("node-a", "gw-a", "10.1.0.9"),
                        node("node-b", "gw-b", "10.1.0.9"),
                        node("node-c", "gw-c", "gateway.example"),
                        node("node-d", "gw-d", " 10.1.0.4 ")),
                Optional.of("gw-a"));

        assertThat(gateways.endpoints()).containsExactly(Map.entry("node-d", Ipv4Address.parse("10.1.0.4")));
        assertThat(gateways.egressOwner())
                .as("packets from a shared endpoint could not be told apart")
                .isEmpty();
    }

    @Test
    void everyNodesIpv4InternalAddressIsOneSteeredPacketsMayComeFrom() {
        var worker = new GatewayNode(
                "worker",
                Map.of(),
                Map.of(),
                List.of(io.meshgw.types.IpAddress.parse("10.1.0.3"), io.meshgw.types.IpAddress.parse("fd00::3")),
                true);
        var gateway = new GatewayNode(
                "node-a",
                Map.of(),
                Map.of(GatewayNode.GATEWAY_IDENTITY, "gw-a", GatewayNode.TUNNEL_ENDPOINT, "10.1.0.1"),
                List.of(io.meshgw.types.IpAddress.parse("10.1.0.1")),
                true);

        var gateways = GatewayNodes.of(List.of(worker, gateway), Optional.of("gw-a"));

        assertThat(gateways.nodeAddresses())
                .as("IPv6 addresses are not tunnel sources: the tunnel is IPv4")
                .containsExactly(Ipv4Address.parse("10.1.0.1"), Ipv4Address.parse("10.1.0.3"));
    }

    @Test
    void aGatewayNodeTheNodeControllerLostIsNotOfferedToTheOtherClustersButStillKnownHere() {
        var lost = new GatewayNode(
                "node-a",
                Map.of(),
                Map.of(GatewayNode.GATEWAY_IDENTITY, "gw-a", GatewayNode.TUNNEL_ENDPOINT, "10.1.0.1"),
                List.of(),
                false);
        var live = new GatewayNode(
                "node-b",
                Map.of(),
                Map.of(GatewayNode.GATEWAY_IDENTITY, "gw-b", GatewayNode.TUNNEL_ENDPOINT, "10.1.0.2"),
                List.of(),
                true);
        var worker = new GatewayNode("worker", Map.of(), Map.of(), List.of(), false);

        var gateways = GatewayNodes.of(List.of(lost, live, worker), Optional.of("gw-a"));

        assertThat(gateways.publishedEndpoints()).containsExactly(Map.entry("node-b", Ipv4Address.parse("10.1.0.2")));
        assertThat(gateways.unpublished()).as("only gateway nodes are named").containsExactly("node-a");
        assertThat(gateways.endpoints()).containsOnlyKeys("node-a", "node-b");
        assertThat(gateways.egressOwner())
                .as("a node cut off from the API server may still forward: egress still goes there")
                .contains(Ipv4Address.parse("10.1.0.1"));
    }

    @Test
    void aDescriptionWhoseGatewayPodNoLongerRunsThereNamesNoGatewayNode() {
        var left = node("node-a", "meshgw-abcde", "10.1.0.1");
        var moved = node("node-b", "meshgw-fghij", "10.1.0.2");
        var live = node("node-c", "meshgw-klmno", "10.1.0.3");
        // The address node-a's stale description names, taken over by a gateway that runs.
        var reused = node("node-d", "meshgw-pqrst", "10.1.0.1");
        // meshgw-abcde is gone; meshgw-fghij runs, but on another node than the one it described.
        var pods = Map.of("meshgw-fghij", "node-x", "meshgw-klmno", "node-c", "meshgw-pqrst", "node-d");

        var gateways =
                GatewayNodes.of(List.of(left, moved, live, reused), Optional.of("meshgw-klmno"), Optional.of(pods));

        assertThat(gateways.endpoints())
                .as("neither accepted nor steered to here, nor published; the live claim on 10.1.0.1 stands")
                .containsOnlyKeys("node-c", "node-d");
        assertThat(gateways.publishedEndpoints()).containsOnlyKeys("node-c", "node-d");
        assertThat(gateways.unpublished()).isEmpty();
        assertThat(GatewayNodes.of(List.of(left, moved, live), Optional.empty()).publishedEndpoints())
                .as("without the Pods known, no description is judged left behind")
                .hasSize(3);
        assertThat(GatewayNodes.of(List.of(left, live), Optional.of("meshgw-abcde"), Optional.of(pods))
                        .egressOwner())
                .as("a Lease holder whose description is stale serves egress from nowhere known")
                .isEmpty();
    }
}
