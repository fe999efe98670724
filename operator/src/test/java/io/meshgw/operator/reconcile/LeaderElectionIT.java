package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.pod;
import static io.meshgw.operator.desired.Fixtures.service;
import static io.meshgw.operator.desired.Fixtures.slice;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.port.ObjectKey;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas against one API server: both plan and serve their own node, only the Lease holder publishes this
 * cluster's exports, and the other takes over publishing without touching its routes.
 */
@MockApiServer
class LeaderElectionIT {
    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gatewayA = FakeGateway.create();
    final FakeGateway gatewayB = FakeGateway.create();
    LeaderElectedOperator a;
    LeaderElectedOperator b;
    static final ObjectKey WEB = new ObjectKey("shop", "web");
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");

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

    void bothReplicasRunAndServeTheExport() {
        a = new LeaderElectedOperator(client, gatewayA.ports(), options("replica-a"));
        a.start();
        Await.until("replica-a leads", a::leading);
        b = new LeaderElectedOperator(client, gatewayB.ports(), options("replica-b"));
        b.start();

        create(vipPool("vips", "192.0.2.0/29"));
        create(service("shop", "web", "http", 80));
        create(slice("shop", "web", "http", 8080, "10.1.0.5"));
        create(export("shop", "web", 0, "vips"));
        Await.until("replica-a announces", () -> gatewayA.bgp().announces("192.0.2.0/32"));
        Await.until("replica-b announces", () -> gatewayB.bgp().announces("192.0.2.0/32"));
    }

    @Test
    void everyReplicaTranslatesAndAnnouncesAndOnlyTheLeaseHolderPublishes() {
        bothReplicasRunAndServeTheExport();
        assertThat(gatewayA.datapath().translations()).containsKey(WEB);
        assertThat(gatewayB.datapath().translations()).containsKey(WEB);
        // Several retry periods and resyncs of the standby: it must still not have published.
        int passes = gatewayA.mesh().passes();
        Await.until("leader ran three more passes", () -> gatewayA.mesh().passes() >= passes + 3);
        assertThat(b.leading()).isFalse();
        assertThat(holder()).isEqualTo("replica-a");
        assertThat(gatewayA.mesh().published()).containsKey(WEB);
        assertThat(gatewayB.mesh().published()).isEmpty();
        assertThat(gatewayB.mesh().publishing()).isFalse();

        a.close();
        Await.until("replica-b leads", b::leading);
        Await.until(
                "replica-b publishes after taking over",
                () -> gatewayB.mesh().published().containsKey(WEB));
        assertThat(holder()).isEqualTo("replica-b");
        assertThat(gatewayB.log().count("announce 192.0.2.0/32"))
                .as("the new leader's routes were there all along: taking over moves no traffic")
                .isEqualTo(1);
        assertThat(gatewayB.log().count("withdraw 192.0.2.0/32")).isZero();
    }

    @Test
    void aLeaderThatLosesTheLeaseStopsPublishingAndKeepsServingItsNode() {
        bothReplicasRunAndServeTheExport();
        Await.until("replica-a publishes", () -> gatewayA.mesh().published().containsKey(WEB));

        // Another holder renews the Lease under replica-a's feet (a partition from the API server looks the same to
        // it): its renewals fail until the renew deadline passes. The replicas renew meanwhile, so the write is
        // retried on a conflict, as any writer of a Lease must.
        Await.until("the Lease taken by replica-elsewhere", () -> {
            try {
                client.resources(Lease.class)
                        .inNamespace("meshgw-system")
                        .withName("meshgw-operator")
                        .edit(l -> {
                            l.getSpec().setHolderIdentity("replica-elsewhere");
                            l.getSpec().setLeaseDurationSeconds(60);
                            l.getSpec().setRenewTime(ZonedDateTime.now());
                            return l;
                        });
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) throw e;
                return false;
            }
        });

        Await.until("replica-a stops leading", () -> !a.leading());
        Await.until("replica-a stands by", () -> !gatewayA.mesh().publishing());
        assertThat(gatewayA.bgp().announces("192.0.2.0/32")).isTrue();
        assertThat(gatewayA.datapath().translations()).containsKey(WEB);
        assertThat(gatewayA.log().count("withdraw 192.0.2.0/32")).isZero();
    }

    @Test
    void anEgressAddressIsTranslatedAndAnnouncedByTheLeaseHolderAlone() {
        bothReplicasRunAndServeTheExport();
        create(egressPool("egress", "198.51.100.0/30"));
        create(pod("pay", "b-1", "billing", Map.of("app", "billing"), "10.0.0.1"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        Await.until("replica-a translates the egress", () -> servesHere(gatewayA));
        Await.until(
                "replica-a announces the egress address", () -> gatewayA.bgp().announces("198.51.100.0/32"));
        Await.until("the status names replica-a as the egress address's gateway", () -> "replica-a".equals(servedBy()));
        int passes = gatewayB.mesh().passes();
        Await.until("replica-b ran three more passes", () -> gatewayB.mesh().passes() >= passes + 3);
        assertThat(gatewayB.datapath().egressRules())
                .as("replica-b keeps the rule, served elsewhere, so that its node drops those pods' packets")
                .containsKey(BILLING);
        assertThat(servesHere(gatewayB)).isFalse();
        assertThat(gatewayB.bgp().announces("198.51.100.0/32")).isFalse();
        assertThat(gatewayB.passes().getLast().egressServedHere())
                .as("what the admin API and metrics of replica-b are told it serves")
                .isEmpty();
        assertThat(gatewayA.passes().getLast().egressServedHere())
                .extracting(r -> r.key())
                .containsExactly(BILLING);
        assertThat(gatewayB.bgp().announces("192.0.2.0/32")).isTrue();

        a.close();
        Await.until("replica-b leads", b::leading);
        Await.until("replica-b translates the egress", () -> servesHere(gatewayB));
        Await.until(
                "replica-b announces the egress address", () -> gatewayB.bgp().announces("198.51.100.0/32"));
        Await.until("the status names replica-b now", () -> "replica-b".equals(servedBy()));
    }

    /** The replica's datapath translates billing's egress (holds its rule, and serves egress). */
    static boolean servesHere(FakeGateway g) {
        return g.datapath().egressRules().containsKey(BILLING) && g.datapath().servesEgress();
    }

    String servedBy() {
        var identity = client.resources(EgressIdentity.class)
                .inNamespace("pay")
                .withName("billing")
                .get();
        return identity == null || identity.getStatus() == null ? null : identity.getStatus().servedBy;
    }

    @Test
    void aLeaseLostWhileThePassWritesTheNodeIsNotFollowedByAPublish() {
        // Every pass asks twice: it leads when it starts, and has lost the Lease by the time the node is written.
        var asked = new java.util.concurrent.atomic.AtomicInteger();
        Leadership lostMidPass = new Leadership() {
            @Override
            public boolean leading() {
                return asked.getAndIncrement() % 2 == 0;
            }

            @Override
            public boolean whileLeading(Runnable write) {
                if (!leading()) return false;
                write.run();
                return true;
            }
        };
        var operator = new MeshgwOperator(client, gatewayA.ports(), options("replica-a"), lostMidPass);
        operator.start();
        try {
            create(vipPool("vips", "192.0.2.0/29"));
            create(service("shop", "web", "http", 80));
            create(slice("shop", "web", "http", 8080, "10.1.0.5"));
            create(export("shop", "web", 0, "vips"));
            Await.until(
                    "the node translates the export",
                    () -> gatewayA.datapath().translations().containsKey(WEB));
            int passes = gatewayA.mesh().passes();
            Await.until("three more passes", () -> gatewayA.mesh().passes() >= passes + 3);
            assertThat(gatewayA.mesh().published()).isEmpty();
            assertThat(gatewayA.mesh().publishing()).isFalse();
        } finally {
            operator.close();
        }
    }
}
