package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.meshgw.types.Ipv4Address;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class NodeRolePodsTest {

    /** A node-role Pod of {@code namespace} on {@code node}, Running, Ready {@code ready}, at {@code hostIp}. */
    public static Pod nodeRole(String namespace, String name, String node, String ready, String hostIp) {
        var pod = GatewayPodsTest.pod(namespace, name, node, "Running");
        pod.getMetadata().setLabels(Map.of(NodeRolePods.COMPONENT_LABEL, NodeRolePods.COMPONENT));
        pod.getStatus().setHostIP(hostIp);
        pod.getStatus()
                .setConditions(List.of(new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(ready)
                        .build()));
        return pod;
    }

    static Pod nodeRole(String name, String node, String hostIp) {
        return nodeRole("meshgw-system", name, node, "True", hostIp);
    }

    @Test
    void aReadyNodeRoleIsKnownByItsNodeAtItsHostAddress() {
        assertThat(NodeRolePods.ready(List.of(nodeRole("role-a", "node-a", "10.1.0.3")), "meshgw-system"))
                .isEqualTo(Map.of("node-a", Ipv4Address.parse("10.1.0.3")));
    }

    @Test
    void aNodeRoleThatIsNotReadyOrNotOneIsLeftOut() {
        var notReady = nodeRole("meshgw-system", "not-ready", "node-b", "False", "10.1.0.4");
        var pending = nodeRole("pending", "node-c", "10.1.0.5");
        pending.getStatus().setPhase("Pending");
        var deleting = nodeRole("deleting", "node-d", "10.1.0.6");
        deleting.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
        var elsewhere = nodeRole("shop", "elsewhere", "node-e", "True", "10.1.0.7");
        var gateway = nodeRole("gateway", "node-f", "10.1.0.8");
        gateway.getMetadata().setLabels(Map.of(NodeRolePods.COMPONENT_LABEL, "gateway"));
        var unlabelled = nodeRole("unlabelled", "node-g", "10.1.0.9");
        unlabelled.getMetadata().setLabels(null);
        var noConditions = nodeRole("no-conditions", "node-h", "10.1.0.10");
        noConditions.getStatus().setConditions(null);
        var noHost = nodeRole("no-host", "node-i", null);
        var ipv6 = nodeRole("ipv6", "node-j", "fd00::11");
        var garbled = nodeRole("garbled", "node-k", "node-k.example");
        var noNode = nodeRole("no-node", null, "10.1.0.12");

        var ready = NodeRolePods.ready(
                List.of(
                        notReady,
                        pending,
                        deleting,
                        elsewhere,
                        gateway,
                        unlabelled,
                        noConditions,
                        noHost,
                        ipv6,
                        garbled,
                        noNode,
                        nodeRole("role-a", "node-a", "10.1.0.3")),
                "meshgw-system");

        assertThat(ready).isEqualTo(Map.of("node-a", Ipv4Address.parse("10.1.0.3")));
    }

    @Test
    void twoOnOneNodeDuringARollingUpdateGiveTheFirstByName() {
        var ready = NodeRolePods.ready(
                List.of(nodeRole("role-new", "node-a", "10.1.0.4"), nodeRole("role-old", "node-a", "10.1.0.3")),
                "meshgw-system");

        // Both would have the node's address; distinct ones here only show which was taken.
        assertThat(ready).isEqualTo(Map.of("node-a", Ipv4Address.parse("10.1.0.4")));
    }
}
