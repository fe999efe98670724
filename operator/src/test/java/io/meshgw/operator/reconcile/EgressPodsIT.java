package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.port.ObjectKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod addresses reach the egress rule through the Pod informer, and follow pods as they come and go. */
@EnableKubernetesMockClient(crud = true)
class EgressPodsIT {
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    @BeforeEach
    void startOperator() {
        operator = new MeshgwOperator(client, gateway.ports(), OperatorIT.options("op-1"));
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        object.getMetadata().setCreationTimestamp(null);
        object.getMetadata().setGeneration(null);
        return client.resource(object).create();
    }

    List<String> sources() {
        var rule = gateway.datapath().egressRules().get(BILLING);
        return rule == null ? null : rule.sourceAddresses();
    }

    @Test
    void theEgressRuleFollowsTheSelectedPods() {
        create(egressPool("egress", "198.51.100.0/30"));
        create(pod("pay", "b-1", "billing", Map.of("app", "billing"), "10.0.0.1", "fd00::1"));
        create(pod("pay", "web", "web", Map.of(), "10.0.0.9"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        Await.value("pod addresses in the rule", this::sources, s -> s.equals(List.of("10.0.0.1", "fd00::1")));

        create(pod("pay", "b-2", "billing", Map.of(), "10.0.0.2"));
        Await.value("new pod in the rule", this::sources, s -> s.equals(List.of("10.0.0.1", "10.0.0.2", "fd00::1")));

        client.resources(Pod.class).inNamespace("pay").withName("b-1").delete();
        Await.value("deleted pod gone from the rule", this::sources, s -> s.equals(List.of("10.0.0.2")));
        assertThat(gateway.log().all())
                .startsWith("applyEgress pay/billing 198.51.100.0")
                .doesNotContain("removeEgress pay/billing");
    }
}
