package io.meshgw.gateway.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bpf.Attachment;
import io.meshgw.bpf.datapath.Ipv4;
import io.meshgw.bpf.datapath.Ipv4Prefix;
import io.meshgw.bpf.datapath.NodeRoleOptions;
import io.meshgw.bpf.datapath.NodeSteering;
import io.meshgw.gateway.GatewayConfig;
import io.meshgw.gateway.control.NodeModeConfig;
import io.meshgw.operator.plan.NodeEgress;
import io.meshgw.operator.plan.NodeEgress.SteeredPod;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Node mode's configuration and what each pass's NodeEgress becomes in the node role's maps. */
class NodeRoleServiceTest {
    static final Inet4Address SELF = Ipv4.parse("10.1.0.30");
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");

    static GatewayConfig config(Map<String, String> values) {
        var all = new HashMap<>(values);
        return new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                // Quarkus' converter, which reads the defaults' "120s" as the gateway does.
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(all)
                .build()
                .getConfigMapping(GatewayConfig.class);
    }

    static SteeredPod pod(String name, String owner) {
        return new SteeredPod(
                new ObjectKey("pay", name),
                BILLING,
                300,
                Optional.ofNullable(owner).map(IpAddress::parse));
    }

    @Test
    void theNodesIpv4PodsAreSteeredToTheOwnerTowardTheIpv4Destinations() {
        var egress = new NodeEgress(
                Map.of(
                        IpAddress.parse("10.0.0.1"), pod("b-1", "10.1.0.1"),
                        IpAddress.parse("fd00::1"), pod("b-1", "10.1.0.1")),
                List.of(IpPrefix.parse("192.0.2.0/24"), IpPrefix.parse("2001:db8::/64")));

        NodeSteering steering = NodeRoleService.steering(egress, SELF);

        assertThat(steering.self()).contains(SELF);
        assertThat(steering.pods())
                .isEqualTo(
                        Map.of(Ipv4.parse("10.0.0.1"), new NodeSteering.Pod(300, Optional.of(Ipv4.parse("10.1.0.1")))));
        assertThat(steering.destinations()).containsExactly(Ipv4Prefix.parse("192.0.2.0/24"));
    }

    @Test
    void theGatewaysIpipIsTakenFromEveryOtherGatewayNodeTowardTheNodesIpv4Pods() {
        var egress = new NodeEgress(
                Map.of(),
                List.of(),
                List.of(),
                List.of(IpAddress.parse("10.0.0.7"), IpAddress.parse("fd00::7")),
                List.of(IpAddress.parse("10.1.0.1"), IpAddress.parse("10.1.0.30"), IpAddress.parse("fd00::1")));

        NodeSteering steering = NodeRoleService.steering(egress, SELF);

        assertThat(steering.gateways()).as("never this node itself").containsExactly(Ipv4.parse("10.1.0.1"));
        assertThat(steering.local()).containsExactly(Ipv4.parse("10.0.0.7"));
    }

    @Test
    void anOwnerThatIsThisNodeItselfSteersNowhereSoThePodsPacketsAreDropped() {
        var egress = new NodeEgress(
                Map.of(IpAddress.parse("10.0.0.1"), pod("b-1", "10.1.0.30")), List.of(IpPrefix.parse("192.0.2.0/24")));

        assertThat(NodeRoleService.steering(egress, SELF)
                        .pods()
                        .get(Ipv4.parse("10.0.0.1"))
                        .owner())
                .isEmpty();
    }

    @Test
    void configurationBecomesNodeRoleOptions() {
        var config = config(Map.of(
                "meshgw.node-role.uplinks", " dc0, up0 ,",
                "meshgw.datapath.attach-mode", "tcx",
                "meshgw.datapath.pin-root", "/run/meshgw/bpf"));

        NodeRoleOptions o = NodeRoleService.options(config);

        assertThat(o.uplinks()).containsExactly("dc0", "up0");
        assertThat(o.mode()).isEqualTo(Attachment.Mode.TCX);
        assertThat(o.pinRoot()).contains(Path.of("/run/meshgw/bpf"));
        assertThat(NodeRoleService.options(
                                config(Map.of("meshgw.node-role.uplinks", "dc0", "meshgw.datapath.pin-root", "none")))
                        .pinRoot())
                .isEmpty();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> NodeRoleService.options(config(Map.of())))
                .hasMessageContaining("meshgw.node-role.uplinks is required when meshgw.mode=node");
        assertThatThrownBy(() -> NodeRoleService.options(config(Map.of("meshgw.node-role.uplinks", " , "))))
                .hasMessageContaining("meshgw.node-role.uplinks is required");
        assertThatThrownBy(() -> NodeRoleService.options(
                        config(Map.of("meshgw.node-role.uplinks", "dc0", "meshgw.datapath.attach-mode", "xdp"))))
                .hasMessageContaining("meshgw.datapath.attach-mode is 'xdp'");
        assertThatThrownBy(() -> NodeRoleService.address(config(Map.of()).nodeRole()))
                .hasMessageContaining("meshgw.node-role.address is required when meshgw.mode=node");
        assertThatThrownBy(() -> NodeRoleService.address(
                        config(Map.of("meshgw.node-role.address", "node-7")).nodeRole()))
                .hasMessage("meshgw.node-role.address is 'node-7'; it must be an IPv4 address");
        assertThatThrownBy(() -> NodeRoleService.address(
                        config(Map.of("meshgw.node-role.address", "127.0.0.1")).nodeRole()))
                .hasMessageContaining("it must be a unicast address of this node that the gateway nodes reach");
        assertThat(NodeRoleService.address(config(Map.of("meshgw.node-role.address", " 10.1.0.30 "))
                        .nodeRole()))
                .isEqualTo(SELF);
    }

    @Test
    void nodeModeRefusesEveryGatewayEngineLeftOn() {
        // The speaker is on by default.
        assertThatThrownBy(() -> NodeModeConfig.refuseGatewayEngines(config(Map.of("meshgw.datapath.enabled", "true"))))
                .hasMessage("meshgw.mode=node runs the node role only, not a gateway: set meshgw.bgp.enabled,"
                        + " meshgw.datapath.enabled to false");
        assertThatCode(() -> NodeModeConfig.refuseGatewayEngines(config(Map.of("meshgw.bgp.enabled", "false"))))
                .doesNotThrowAnyException();
    }

    @Test
    void anAddressThatIsNoInternalIpOfTheNodeIsAProblemTheGatewaysWouldDropItsPacketsFor() {
        var egress = new NodeEgress(Map.of(), List.of());

        assertThat(NodeRoleService.addressProblem(egress, SELF))
                .as("the Node names no address yet")
                .isEmpty();
        assertThat(NodeRoleService.addressProblem(
                        egress.withNodeAddresses(List.of(IpAddress.parse("fd00::30"), IpAddress.parse("10.1.0.30"))),
                        SELF))
                .isEmpty();
        assertThat(NodeRoleService.addressProblem(
                        egress.withNodeAddresses(List.of(IpAddress.parse("10.9.0.30"))), SELF))
                .contains("meshgw.node-role.address 10.1.0.30 is not an InternalIP of this node's Node (10.9.0.30):"
                        + " the gateways accept steered packets only from those, so this node's pods' egress would be"
                        + " dropped there");
    }
}
