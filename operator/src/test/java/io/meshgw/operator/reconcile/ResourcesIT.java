package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.acceptPolicy;
import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.secret;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static io.meshgw.operator.desired.Fixtures.withPassword;
import static io.meshgw.operator.desired.Fixtures.withRequestedVip;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.BgpPolicySpec;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIpPool;
import io.meshgw.operator.crd.LegacyService;
import io.meshgw.operator.crd.LegacyServiceSpec;
import io.meshgw.operator.crd.LegacyVipPool;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshClusterSpec;
import io.meshgw.operator.crd.MeshServiceExport;
import io.meshgw.operator.crd.PrefixMatch;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.desired.Fixtures;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.types.IpPrefix;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BgpPeers, BgpPolicies, pools, EgressIdentities and LegacyServices through a running operator (mock API server). */
@MockApiServer
class ResourcesIT {
    static final ObjectKey TOR = new ObjectKey("meshgw-system", "tor1");

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

    <T extends HasMetadata> T get(Class<T> type, String ns, String name) {
        return ns == null
                ? client.resources(type).withName(name).get()
                : client.resources(type).inNamespace(ns).withName(name).get();
    }

    static Optional<Condition> condition(HasMetadata object, String type) {
        if (!(object instanceof CustomResource<?, ?> cr) || !(cr.getStatus() instanceof ResourceStatus status)) {
            return Optional.empty();
        }
        return status.conditions.stream().filter(c -> c.getType().equals(type)).findFirst();
    }

    /** Waits until the object's condition has the status for the object's current generation. */
    <T extends HasMetadata> T await(Class<T> type, String ns, String name, String conditionType, String status) {
        return Await.value(
                type.getSimpleName() + " " + name + " " + conditionType + "=" + status,
                () -> get(type, ns, name),
                o -> condition(o, conditionType)
                        .filter(c -> c.getStatus().equals(status)
                                && c.getObservedGeneration()
                                        .equals(o.getMetadata().getGeneration()))
                        .isPresent());
    }

    @Test
    void aPeerIsAppliedUpdatedReportsItsSessionAndIsRemoved() {
        create(peer("meshgw-system", "tor1", 0, "192.0.2.1", 65000));
        var peer = await(BgpPeer.class, "meshgw-system", "tor1", "Ready", "True");
        assertThat(condition(peer, "Degraded").orElseThrow().getReason()).isEqualTo("SessionNotStarted");
        assertThat(gateway.log().all()).containsExactly("applyPeer meshgw-system/tor1");

        gateway.bgp()
                .session(
                        TOR,
                        new PeerSession(
                                PeerSession.State.Established,
                                Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                                7,
                                5,
                                2,
                                Optional.empty()));
        operator.requestReconcile();
        peer = await(BgpPeer.class, "meshgw-system", "tor1", "Degraded", "False");
        assertThat(peer.getStatus().sessionState).isEqualTo("Established");
        assertThat(peer.getStatus().receivedPrefixes).isEqualTo(7L);
        assertThat(peer.getStatus().establishedSince).isEqualTo("2026-01-01T00:00:00Z");

        Await.write(
                "peer ASN",
                () -> client.resources(BgpPeer.class)
                        .inNamespace("meshgw-system")
                        .withName("tor1")
                        .edit(p -> {
                            p.getSpec().peerAsn = 65010L;
                            return p;
                        }));
        Await.until(
                "new ASN applied", () -> gateway.bgp().appliedPeers().get(TOR).peerAsn() == 65010L);
        assertThat(await(BgpPeer.class, "meshgw-system", "tor1", "Ready", "True")
                        .getStatus()
                        .observedGeneration)
                .isEqualTo(2L);

        client.resource(get(BgpPeer.class, "meshgw-system", "tor1")).delete();
        Await.until("peer removed", () -> gateway.bgp().appliedPeers().isEmpty());
        assertThat(gateway.log().all())
                .containsExactly(
                        "applyPeer meshgw-system/tor1",
                        "applyPeer meshgw-system/tor1",
                        "removePeer meshgw-system/tor1");
    }

    @Test
    void aPeerWaitsForItsPasswordSecret() {
        // Secrets are read in the operator's Secrets namespace only (the Lease's by default), so the peer lives there.
        String ns = "meshgw-system";
        create(withPassword(peer(ns, "tor1", 0, "192.0.2.1", 65000), "tor1-md5", "password"));
        var peer = await(BgpPeer.class, ns, "tor1", "Ready", "False");
        var ready = condition(peer, "Ready").orElseThrow();
        assertThat(ready.getReason()).isEqualTo("Invalid");
        assertThat(ready.getMessage()).isEqualTo("spec.passwordSecretRef.name: Secret 'tor1-md5' does not exist");
        assertThat(gateway.bgp().appliedPeers()).isEmpty();

        create(secret(ns, "tor1-md5", "password", "s3cret"));
        await(BgpPeer.class, ns, "tor1", "Ready", "True");
        assertThat(gateway.bgp().appliedPeers().get(new ObjectKey(ns, "tor1")).tcpMd5Password())
                .contains("s3cret");
    }

    @Test
    void anAsnTheSchemaAllowsButBgpForbidsLeavesThePeerUnapplied() {
        create(peer("meshgw-system", "tor1", 0, "192.0.2.1", 23456));
        var ready = condition(await(BgpPeer.class, "meshgw-system", "tor1", "Ready", "False"), "Ready")
                .orElseThrow();
        assertThat(ready.getMessage())
                .isEqualTo("spec.peerAsn: 23456 is AS_TRANS (RFC 6793) and cannot be a peer's ASN");
        // The mock server does not enforce the OpenAPI schema, so an out-of-range ASN reaches the validator too.
        create(peer("meshgw-system", "tor2", 0, "192.0.2.2", 4_294_967_296L));
        assertThat(condition(await(BgpPeer.class, "meshgw-system", "tor2", "Ready", "False"), "Ready")
                        .orElseThrow()
                        .getMessage())
                .contains("is not a valid ASN");
        assertThat(gateway.log().all()).isEmpty();
    }

    @Test
    void aChangedPolicyIsReappliedThroughItsPeer() {
        create(acceptPolicy("meshgw-system", "in", "10.0.0.0/8"));
        var peer = peer("meshgw-system", "tor1", 0, "192.0.2.1", 65000);
        peer.getSpec().importPolicy = "in";
        create(peer);
        await(BgpPeer.class, "meshgw-system", "tor1", "Ready", "True");
        await(BgpPolicy.class, "meshgw-system", "in", "Ready", "True");

        Await.write(
                "policy result",
                () -> client.resources(BgpPolicy.class)
                        .inNamespace("meshgw-system")
                        .withName("in")
                        .edit(p -> {
                            p.getSpec().statements.getFirst().actions.result = BgpPolicySpec.Result.REJECT;
                            return p;
                        }));
        Await.until(
                "policy change applied",
                () -> !gateway.bgp()
                        .appliedPeers()
                        .get(TOR)
                        .importPolicy()
                        .orElseThrow()
                        .statements()
                        .getFirst()
                        .actions()
                        .accept());
        assertThat(gateway.log().count("applyPeer meshgw-system/tor1")).isEqualTo(2);
    }

    @Test
    void overlappingPoolsAreBothInvalidUntilOneGoes() {
        create(vipPool("vips", "192.0.2.0/28"));
        create(egressPool("egress", "192.0.2.8/29"));
        create(export("shop", "web", 0, "vips"));
        var vips = await(LegacyVipPool.class, null, "vips", "Ready", "False");
        assertThat(condition(vips, "Ready").orElseThrow().getMessage())
                .isEqualTo("spec.cidrs[0]: 192.0.2.0/28 overlaps EgressIpPool 'egress' (spec.cidrs[0]: 192.0.2.8/29)");
        await(EgressIpPool.class, null, "egress", "Ready", "False");
        Await.until(
                "export waits for its pool",
                () -> condition(get(MeshServiceExport.class, "shop", "web"), "Ready")
                        .filter(c -> c.getReason().equals("PoolNotReady"))
                        .isPresent());

        client.resource(get(EgressIpPool.class, null, "egress")).delete();
        await(LegacyVipPool.class, null, "vips", "Ready", "True");
        Await.until(
                "export got a VIP",
                () -> "192.0.2.0"
                        .equals(get(MeshServiceExport.class, "shop", "web").getStatus().assignedVip));
    }

    @Test
    void aRequestedVipOutsideEveryPoolIsAConflict() {
        create(vipPool("vips", "192.0.2.0/28"));
        create(withRequestedVip(export("shop", "web", 0, "vips"), "203.0.113.7"));
        var export = await(MeshServiceExport.class, "shop", "web", "Conflict", "True");
        assertThat(condition(export, "Conflict").orElseThrow().getReason()).isEqualTo("OutsidePools");
        assertThat(condition(export, "Ready").orElseThrow().getStatus()).isEqualTo("False");
        assertThat(export.getStatus().assignedVip).isNull();
    }

    @Test
    void anEgressIdentityGetsItsSourceAndLosesItOnDelete() {
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        var identity = await(EgressIdentity.class, "pay", "billing", "Ready", "True");
        assertThat(identity.getStatus().assignedSourceIp).isEqualTo("198.51.100.0");
        Await.until("source announced", () -> gateway.bgp().announces("198.51.100.0/32"));
        assertThat(gateway.log().all())
                .containsExactly("applyEgress pay/billing 198.51.100.0", "announce 198.51.100.0/32");

        client.resource(identity).delete();
        Await.until(
                "egress rule removed", () -> gateway.datapath().egressRules().isEmpty());
        Await.until("source withdrawn", () -> gateway.bgp().announcements().isEmpty());
        assertThat(gateway.log().all().subList(2, 4))
                .containsExactly("withdraw 198.51.100.0/32", "removeEgress pay/billing");
    }

    @Test
    void aLegacyServiceReportsTheRoutesItSelects() {
        create(peer("meshgw-system", "tor1", 0, "192.0.2.1", 65000));
        Await.until("session with " + TOR, () -> gateway.bgp().appliedPeers().containsKey(TOR));
        gateway.bgp().routes(List.of(Fixtures.route("10.50.1.0/24", TOR, "65000:7")));
        var service = Fixtures.meta(new LegacyService(), "apps", "mainframe", 0);
        service.setSpec(new LegacyServiceSpec());
        service.getSpec().prefixes.add(new PrefixMatch("10.50.0.0/16", null, 24));
        var port = new LegacyServiceSpec.Port();
        port.port = 3270;
        service.getSpec().ports.add(port);
        create(service);
        var ready = await(LegacyService.class, "apps", "mainframe", "Degraded", "False");
        assertThat(ready.getStatus().routes).singleElement().satisfies(r -> {
            assertThat(r.prefix).isEqualTo("10.50.1.0/24");
            assertThat(r.peer).isEqualTo("meshgw-system/tor1");
        });

        gateway.bgp().routes(List.of());
        operator.requestReconcile();
        await(LegacyService.class, "apps", "mainframe", "Degraded", "True");
    }

    @Test
    void aMeshClusterWithATakenIdIsRejectedUntilTheOwnerGoes() {
        create(meshCluster("east", 1));
        await(MeshCluster.class, null, "east", "Ready", "True");
        create(meshCluster("west", 1));
        var west = await(MeshCluster.class, null, "west", "Ready", "False");
        assertThat(condition(west, "Ready").orElseThrow().getReason()).isEqualTo("DuplicateClusterId");

        client.resource(get(MeshCluster.class, null, "east")).delete();
        await(MeshCluster.class, null, "west", "Ready", "True");
        assertThat(gateway.log().all()).isEmpty();
    }

    static MeshCluster meshCluster(String name, int id) {
        var cluster = Fixtures.meta(new MeshCluster(), null, name, 0);
        cluster.setSpec(new MeshClusterSpec());
        cluster.getSpec().clusterId = id;
        cluster.getSpec().name = name;
        cluster.getSpec().kafka = new MeshClusterSpec.Kafka();
        cluster.getSpec().kafka.bootstrapServers = "kafka.meshgw-system:9092";
        return cluster;
    }

    @Test
    void aMovedSourceAddressAndNewPoolCommunitiesAreReappliedWithoutExtraWork() {
        create(egressPool("egress", "198.51.100.0/30"));
        create(egressIdentity("pay", "billing", 0, "egress"));
        Await.until("source announced", () -> gateway.bgp().announces("198.51.100.0/32"));

        Await.write(
                "requested source",
                () -> client.resources(EgressIdentity.class)
                        .inNamespace("pay")
                        .withName("billing")
                        .edit(e -> {
                            e.getSpec().requestedSourceIp = "198.51.100.3";
                            return e;
                        }));
        var moved = await(EgressIdentity.class, "pay", "billing", "Ready", "True");
        Await.until("new source announced", () -> gateway.bgp().announces("198.51.100.3/32"));
        assertThat(moved.getStatus().assignedSourceIp).isEqualTo("198.51.100.3");
        assertThat(gateway.bgp().announcements()).containsOnlyKeys(IpPrefix.parse("198.51.100.3/32"));

        Await.write(
                "pool communities",
                () -> client.resources(EgressIpPool.class).withName("egress").edit(p -> {
                    p.getSpec().communities = List.of("65001:200");
                    return p;
                }));
        Await.until(
                "new communities announced",
                () -> gateway.bgp()
                        .announcements()
                        .get(IpPrefix.parse("198.51.100.3/32"))
                        .communities()
                        .equals(List.of(Community.parse("65001:200"))));
        assertThat(gateway.log().all())
                .containsExactly(
                        "applyEgress pay/billing 198.51.100.0",
                        "announce 198.51.100.0/32",
                        "withdraw 198.51.100.0/32",
                        "applyEgress pay/billing 198.51.100.3",
                        "announce 198.51.100.3/32",
                        "announce 198.51.100.3/32");
    }
}
