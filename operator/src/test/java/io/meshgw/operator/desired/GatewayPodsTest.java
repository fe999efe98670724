package io.meshgw.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class GatewayPodsTest {

    /** A Pod of {@code namespace} on {@code node} (none when null) in {@code phase}. */
    public static Pod pod(String namespace, String name, String node, String phase) {
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .endStatus()
                .build();
    }

    @Test
    void theRunningPodsOfTheGatewaysNamespaceWithTheirNodes() {
        var stopping = pod("meshgw-system", "meshgw-stop", "node-c", "Running");
        stopping.getMetadata().setDeletionTimestamp("2026-12-07T10:00:00Z");

        var running = GatewayPods.running(
                List.of(
                        pod("meshgw-system", "meshgw-a", "node-a", "Running"),
                        pod("meshgw-system", "meshgw-pending", null, "Pending"),
                        pod("meshgw-system", "meshgw-failed", "node-b", "Failed"),
                        pod("shop", "meshgw-b", "node-b", "Running"),
                        stopping),
                "meshgw-system");

        assertThat(running).isEqualTo(Map.of("meshgw-a", "node-a"));
    }
}
