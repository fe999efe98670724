package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.meshgw.types.IpAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class NodeRolePodsTest {

    /** A node role Pod of meshgw-system on {@code node}, Running, Ready as {@code ready} says, at {@code hostIp}. */
    public static Pod nodeRole(String name, String node, String hostIp, boolean ready) {
        Pod p = GatewayPodsTest.pod("meshgw-system", name, node, "Running");
        p.getMetadata().setLabels(Map.of("app.kubernetes.io/component", "node-role"));
        p.getStatus().setHostIP(hostIp);
        p.getStatus()
                .setConditions(List.of(new PodConditionBuilder()
                        .withType("Ready")
                        .withStatus(ready ? "True" : "False")
                        .build()));
        return p;
    }

    @Test
    void onlyRunningReadyNodeRolesOfTheGatewaysNamespaceWithAnIpv4HostIpCount() {
        var deleting = nodeRole("nr-del", "node-e", "10.1.0.5", true);
        deleting.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");
        var pending = nodeRole("nr-pending", "node-f", "10.1.0.6", true);
        pending.getStatus().setPhase("Pending");
        var elsewhere = nodeRole("nr-other", "node-g", "10.1.0.7", true);
        elsewhere.getMetadata().setNamespace("shop");
        var unlabelled = nodeRole("nr-plain", "node-h", "10.1.0.8", true);
        unlabelled.getMetadata().setLabels(Map.of("app", "web"));

        var ready = NodeRolePods.ready(
                List.of(
                        nodeRole("nr-a", "node-a", "10.1.0.1", true),
                        nodeRole("nr-b", "node-b", "10.1.0.2", false),
                        nodeRole("nr-c", "node-c", null, true),
                        nodeRole("nr-d", "node-d", "fd00::4", true),
                        deleting,
                        pending,
                        elsewhere,
                        unlabelled),
                "meshgw-system");

        assertThat(ready).isEqualTo(Map.of("node-a", IpAddress.parse("10.1.0.1")));
    }
}
