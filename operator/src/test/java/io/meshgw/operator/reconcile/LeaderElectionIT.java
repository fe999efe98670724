package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two replicas against one API server: only the Lease holder applies, and the standby takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionIT {
    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gatewayA = FakeGateway.create();
    final FakeGateway gatewayB = FakeGateway.create();
    LeaderElectedOperator a;
    LeaderElectedOperator b;

    /** Renewal with slack, so a loaded machine does not make the leader lose a Lease it is still renewing. */
    static OperatorOptions options(String identity) {
        return OperatorIT.options(identity)
                .withTimings(
                        Duration.ofSeconds(6), Duration.ofSeconds(4), Duration.ofMillis(250), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    <T extends HasMetadata> void create(T object) {
        object.getMetadata().setCreationTimestamp(null);
        client.resource(object).create();
    }

    String holder() {
        var lease = client.resources(Lease.class)
                .inNamespace("meshgw-system")
                .withName("meshgw-operator")
                .get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    @Test
    void onlyTheLeaderAppliesAndTheStandbyTakesOver() {
        a = new LeaderElectedOperator(client, gatewayA.ports(), options("replica-a"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(client, gatewayB.ports(), options("replica-b"));
        b.start();

        create(vipPool("vips", "192.0.2.0/29"));
        create(service("shop", "web", "http", 80));
        create(slice("shop", "web", "http", 8080, "10.1.0.5"));
        create(export("shop", "web", 0, "vips"));
        Await.until("leader announces", () -> gatewayA.bgp().announces("192.0.2.0/32"));
        // Several retry periods and resyncs of the standby: it must still have done nothing.
        int passes = gatewayA.mesh().passes();
        Await.until("leader ran three more passes", () -> gatewayA.mesh().passes() >= passes + 3);
        assertThat(b.leading()).isFalse();
        assertThat(gatewayB.log().all()).isEmpty();
        assertThat(holder()).isEqualTo("replica-a");

        a.close();
        Await.until("replica-b leads", b::leading);
        Await.until("standby announces after taking over", () -> gatewayB.bgp().announces("192.0.2.0/32"));
        assertThat(holder()).isEqualTo("replica-b");
        assertThat(gatewayB.log().count("announce 192.0.2.0/32")).isEqualTo(1);
    }
}
