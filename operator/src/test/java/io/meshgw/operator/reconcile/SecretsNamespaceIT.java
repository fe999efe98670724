package io.meshgw.operator.reconcile;

import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.secret;
import static io.meshgw.operator.desired.Fixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshgw.operator.apiserver.MockApiServer;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.ResourceStatus;
import io.meshgw.operator.crd.SecretKeyRef;
import io.meshgw.operator.port.ObjectKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator reads Secrets in its one Secrets namespace only (here bgp-secrets, apart from the Lease's namespace):
 * it never asks the API server for Secrets elsewhere, and objects referring to Secrets elsewhere are Invalid. It is
 * the gateway's namespace: BgpPeers elsewhere are refused.
 */
@MockApiServer
class SecretsNamespaceIT {
    static final String SECRETS = "bgp-secrets";

    KubernetesClient client;
    KubernetesMockServer server;
    final FakeGateway gateway = FakeGateway.create();
    MeshgwOperator operator;

    @BeforeEach
    void startOperator() {
        operator = new MeshgwOperator(
                client, gateway.ports(), OperatorIT.options("op-1").withSecretsNamespace(SECRETS), Leadership.ALWAYS);
        operator.start();
    }

    @AfterEach
    void stopOperator() {
        operator.close();
    }

    @Test
    void aPeerReadsItsPasswordFromTheSecretsNamespaceOnly() {
        // The same Secret in another namespace is invisible to the operator.
        create(secret("net", "tor1-md5", "password", "elsewhere"));
        create(withPassword(peer(SECRETS, "tor1", 0, "192.0.2.1", 65000), "tor1-md5", "password"));
        var missing = await(BgpPeer.class, SECRETS, "tor1", "False");
        assertThat(condition(missing, "Ready").getMessage())
                .isEqualTo("spec.passwordSecretRef.name: Secret 'tor1-md5' does not exist");

        create(secret(SECRETS, "tor1-md5", "password", "s3cret"));
        await(BgpPeer.class, SECRETS, "tor1", "True");
        assertThat(gateway.bgp()
                        .appliedPeers()
                        .get(new ObjectKey(SECRETS, "tor1"))
                        .tcpMd5Password())
                .contains("s3cret");

        // The test itself wrote Secrets (POST); the operator only lists and watches (GET), in one namespace.
        var reads = reads();
        assertThat(reads).noneMatch(p -> p.startsWith("/api/v1/secrets"));
        assertThat(reads).anyMatch(p -> p.startsWith("/api/v1/namespaces/" + SECRETS + "/secrets"));
        assertThat(reads).noneMatch(p -> p.startsWith("/api/v1/namespaces/net/secrets"));
    }

    @Test
    void aTenantsBgpPeerIsRefusedWithAConditionAndAnEvent() {
        create(secret("net", "tor1-md5", "password", "s3cret"));
        create(withPassword(peer("net", "tor1", 0, "192.0.2.1", 65000), "tor1-md5", "password"));
        var refused = await(BgpPeer.class, "net", "tor1", "False");
        assertThat(condition(refused, "Ready").getReason()).isEqualTo("NamespaceNotAllowed");
        String why = "a BgpPeer is accepted only in the gateway's namespace 'bgp-secrets', where the network team"
                + " keeps BgpPeers, BgpPolicies and their Secrets; this one in 'net' is not applied";
        assertThat(condition(refused, "Ready").getMessage()).isEqualTo(why);
        Await.until(
                "the refusal's Event",
                () -> client.events().v1().events().inNamespace("net").list().getItems().stream()
                        .anyMatch(e -> "NamespaceNotAllowed".equals(e.getReason()) && why.equals(e.getNote())));
        assertThat(gateway.bgp().appliedPeers()).isEmpty();

        create(peer(SECRETS, "tor2", 0, "192.0.2.2", 65000));
        await(BgpPeer.class, SECRETS, "tor2", "True");
        assertThat(gateway.bgp().appliedPeers()).containsOnlyKeys(new ObjectKey(SECRETS, "tor2"));
    }

    @Test
    void aMeshClusterWithKafkaSecretsElsewhereIsInvalid() {
        var cluster = ResourcesIT.meshCluster("west", 2);
        cluster.getSpec().kafka.tlsSecretRef = new SecretKeyRef("west-kafka-tls", "ca.crt");
        cluster.getSpec().kafka.tlsSecretRef.namespace = "kafka";
        create(cluster);
        var invalid = await(MeshCluster.class, null, "west", "False");
        assertThat(condition(invalid, "Ready").getMessage())
                .isEqualTo("spec.kafka.tlsSecretRef.namespace: Secret 'west-kafka-tls' would be read from namespace"
                        + " 'kafka', but the operator reads Secrets only in namespace 'bgp-secrets'; set namespace:"
                        + " bgp-secrets and keep the Secret there");

        Await.write(
                "namespace dropped",
                () -> client.resources(MeshCluster.class).withName("west").edit(c -> {
                    c.getSpec().kafka.tlsSecretRef.namespace = null;
                    return c;
                }));
        await(MeshCluster.class, null, "west", "True");
    }

    <T extends HasMetadata> T create(T object) {
        return MockApi.create(client, object);
    }

    /** Waits until Ready has {@code status} for the object's current generation. */
    <T extends HasMetadata> T await(Class<T> type, String ns, String name, String status) {
        return Await.value(
                type.getSimpleName() + " " + name + " Ready=" + status,
                () -> ns == null
                        ? client.resources(type).withName(name).get()
                        : client.resources(type).inNamespace(ns).withName(name).get(),
                o -> {
                    var ready = condition(o, "Ready");
                    return ready != null
                            && ready.getStatus().equals(status)
                            && ready.getObservedGeneration()
                                    .equals(o.getMetadata().getGeneration());
                });
    }

    static Condition condition(HasMetadata object, String type) {
        if (!(object instanceof CustomResource<?, ?> cr) || !(cr.getStatus() instanceof ResourceStatus status)) {
            return null;
        }
        return status.conditions.stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElse(null);
    }

    /** The paths of the GET requests (lists, watches, reads) the mock API server has received so far. */
    List<String> reads() {
        var paths = new ArrayList<String>();
        try {
            for (var request = server.takeRequest(100, TimeUnit.MILLISECONDS);
                    request != null;
                    request = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
                if (request.getMethod().equals("GET")) paths.add(request.getPath());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while reading the requests", e);
        }
        return paths;
    }
}
