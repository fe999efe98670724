package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod addresses reach the egress rule through the Pod informer, and follow pods as they come and go. */
@MockApiServer
class EgressPodsIT {
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");
    static final ObjectKey TAX = new ObjectKey("pay", "tax");

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    @BeforeEach
    void startOperator() {
        operator = new MeshgwOperator(client, gateway.ports(), OperatorIT.options("op-1"), Leadership.ALWAYS);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.close();
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    List<String> sources() {
        var rule = gateway.datapath().egressRules().get(BILLING);
        return rule == null
                ? null
                : rule.podAddresses().stream().map(Object::toString).toList();
    }

    @Test
    void theEgressRuleFollowsTheSelectedPods() {
        create(egressPool("egress", "198.51.100.0/30"));
        create(pod("pay", "b-1", "billing", Map.of("app", "billing"), "10.0.0.1", "fd00::1"));
        create(pod("pay", "web", "web", Map.of(), "10.0.0.9"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        // An IPv4 source translates IPv4 traffic only: the pod's IPv6 address is not the rule's.
        Await.value("pod addresses in the rule", this::sources, s -> s.equals(List.of("10.0.0.1")));

        create(pod("pay", "b-2", "billing", Map.of(), "10.0.0.2"));
        Await.value("new pod in the rule", this::sources, s -> s.equals(List.of("10.0.0.1", "10.0.0.2")));

        client.resources(Pod.class).inNamespace("pay").withName("b-1").delete();
        Await.value("deleted pod gone from the rule", this::sources, s -> s.equals(List.of("10.0.0.2")));
        assertThat(gateway.log().all())
                .startsWith("applyEgress pay/billing 198.51.100.0")
                .doesNotContain("removeEgress pay/billing");
    }

    @Test
    void aYoungerIdentitySelectingAnOlderOnesPodIsAConflictUntilTheOverlapGoes() {
        create(egressPool("egress", "198.51.100.0/30"));
        var billing = egressIdentity("pay", "billing", 0, "egress");
        billing.getSpec().selector.podLabels = Map.of("app", "billing");
        create(billing);
        create(pod("pay", "b-1", "billing", Map.of("app", "billing"), "10.0.0.1"));
        Await.value("billing's rule", this::sources, s -> s.equals(List.of("10.0.0.1")));
        // Any pod of the account: b-1 too. Created later, so younger (and after billing by name, should the API
        // server's one-second timestamps tie).
        create(egressIdentity("pay", "tax", 0, "egress"));

        var tax = Await.value(
                "tax in Conflict",
                () -> client.resources(EgressIdentity.class)
                        .inNamespace("pay")
                        .withName("tax")
                        .get(),
                e -> condition(e, "Conflict")
                        .filter(c -> c.getStatus().equals("True"))
                        .isPresent());
        var conflict = condition(tax, "Conflict").orElseThrow();
        assertThat(conflict.getReason()).isEqualTo("SelectorOverlap");
        assertThat(conflict.getMessage())
                .isEqualTo("the older EgressIdentity pay/billing also selects pod pay/b-1 and keeps it;"
                        + " not applied until no pod is selected by both");
        assertThat(condition(tax, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        String reserved = tax.getStatus().assignedSourceIp;
        assertThat(reserved).isEqualTo("198.51.100.1");
        assertThat(gateway.datapath().egressRules()).containsOnlyKeys(BILLING);
        assertThat(gateway.bgp().announcements()).containsOnlyKeys(IpPrefix.parse("198.51.100.0/32"));

        // The pod leaves billing's selection: the overlap is gone and tax applies with its reserved address.
        Await.write(
                "b-1 relabelled",
                () -> client.resources(Pod.class)
                        .inNamespace("pay")
                        .withName("b-1")
                        .edit(p -> {
                            p.getMetadata().setLabels(Map.of("app", "tax"));
                            return p;
                        }));
        Await.until(
                "tax's rule",
                () -> gateway.datapath().egressRules().containsKey(TAX)
                        && gateway.datapath()
                                .egressRules()
                                .get(TAX)
                                .podAddresses()
                                .equals(List.of(IpAddress.parse("10.0.0.1"))));
        assertThat(gateway.datapath().egressRules().get(TAX).source()).isEqualTo(IpAddress.parse(reserved));
        Await.until("tax's source announced", () -> gateway.bgp().announces(reserved + "/32"));
        Await.value(
                "tax Ready",
                () -> client.resources(EgressIdentity.class)
                        .inNamespace("pay")
                        .withName("tax")
                        .get(),
                e -> condition(e, "Ready")
                                .filter(c -> c.getStatus().equals("True"))
                                .isPresent()
                        && condition(e, "Conflict")
                                .filter(c -> c.getStatus().equals("False"))
                                .isPresent());
    }

    @Test
    void anOlderIdentityWithATypoInItsPoolDoesNotKeepTheYoungerOnesPods() {
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egres"));
        create(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1"));
        Await.value(
                "billing waiting for its pool",
                () -> client.resources(EgressIdentity.class)
                        .inNamespace("pay")
                        .withName("billing")
                        .get(),
                e -> condition(e, "Ready")
                        .filter(c -> c.getStatus().equals("False"))
                        .isPresent());
        create(egressIdentity("pay", "tax", 0, "egress"));

        Await.until(
                "tax's rule with b-1",
                () -> gateway.datapath().egressRules().containsKey(TAX)
                        && gateway.datapath()
                                .egressRules()
                                .get(TAX)
                                .podAddresses()
                                .equals(List.of(IpAddress.parse("10.0.0.1"))));
        assertThat(gateway.datapath().egressRules()).doesNotContainKey(BILLING);
    }

    static Optional<Condition> condition(EgressIdentity identity, String type) {
        if (identity == null || identity.getStatus() == null) return Optional.empty();
        return identity.getStatus().conditions.stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}
