package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.secret;
import static io.meshgw.operator.desired.Fixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.MeshCluster;
import io.meshgw.operator.crd.MeshClusterSpec;
import io.meshgw.operator.crd.SecretKeyRef;
import io.meshgw.operator.plan.ObjectOutcome;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets are read in one namespace only: references that resolve anywhere else are invalid and say where to go. */
class SecretsNamespaceTest {
    static final String SECRETS = "meshgw-system";

    @Test
    void aPeerInTheSecretsNamespaceGetsItsPassword() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .secretsNamespace(SECRETS)
                .peers(List.of(withPassword(peer(SECRETS, "tor1", 0, "192.0.2.1", 65000), "md5", "password")))
                .secrets(List.of(secret(SECRETS, "md5", "password", "s3cret")))
                .build());
        assertThat(state.peers().get(new ObjectKey(SECRETS, "tor1")).tcpMd5Password())
                .contains("s3cret");
    }

    @Test
    void aPeerMayNotUseAnotherNamespacesSecret() {
        var peer = withPassword(peer("net", "tor1", 0, "192.0.2.1", 65000), "md5", "password");
        peer.getSpec().passwordSecretRef.namespace = "kafka";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer))
                .secrets(List.of(secret("kafka", "md5", "password", "s3cret")))
                .build());
        assertThat(state.peers()).isEmpty();
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "tor1")))
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.passwordSecretRef.namespace: a BgpPeer may only use Secrets of its own namespace"
                        + " 'net'");
    }

    @Test
    void aMeshClustersKafkaSecretsAreInTheSecretsNamespace() {
        var inPlace = cluster("west", 2, new SecretKeyRef("west-kafka-tls", "ca.crt"));
        var named = cluster("north", 3, new SecretKeyRef("north-kafka-tls", "ca.crt"));
        named.getSpec().kafka.tlsSecretRef.namespace = SECRETS;
        var elsewhere = cluster("south", 4, new SecretKeyRef("south-kafka-tls", "ca.crt"));
        elsewhere.getSpec().kafka.saslSecretRef = new SecretKeyRef("south-sasl", "sasl.jaas.config");
        elsewhere.getSpec().kafka.saslSecretRef.namespace = "kafka";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .secretsNamespace(SECRETS)
                .meshClusters(List.of(inPlace, named, elsewhere))
                .build());

        assertThat(outcome(state, "west").ready()).isTrue();
        assertThat(outcome(state, "north").ready()).isTrue();
        var south = outcome(state, "south");
        assertThat(south.reason()).isEqualTo("Invalid");
        assertThat(south.message())
                .isEqualTo("spec.kafka.saslSecretRef.namespace: Secret 'south-sasl' would be read from namespace"
                        + " 'kafka', but the operator reads Secrets only in namespace 'meshgw-system'; set namespace:"
                        + " meshgw-system and keep the Secret there");
    }

    @Test
    void withoutASecretsNamespaceEachReferenceReadsWhereItSays() {
        var cluster = cluster("south", 4, new SecretKeyRef("south-kafka-tls", "ca.crt"));
        cluster.getSpec().kafka.tlsSecretRef.namespace = "kafka";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(withPassword(peer("net", "tor1", 0, "192.0.2.1", 65000), "md5", "password")))
                .secrets(List.of(secret("net", "md5", "password", "s3cret")))
                .meshClusters(List.of(cluster))
                .build());
        assertThat(state.peers().get(new ObjectKey("net", "tor1")).tcpMd5Password())
                .contains("s3cret");
        assertThat(outcome(state, "south").ready()).isTrue();
    }

    static ObjectOutcome outcome(Plan state, String cluster) {
        return state.outcome(new ResourceRef("MeshCluster", ObjectKey.cluster(cluster)))
                .orElseThrow();
    }

    static MeshCluster cluster(String name, int id, SecretKeyRef tls) {
        var cluster = Fixtures.meta(new MeshCluster(), null, name, id);
        cluster.setSpec(new MeshClusterSpec());
        cluster.getSpec().clusterId = id;
        cluster.getSpec().name = name;
        cluster.getSpec().kafka = new MeshClusterSpec.Kafka();
        cluster.getSpec().kafka.bootstrapServers = "kafka-0." + name + ".example:9093";
        cluster.getSpec().kafka.tlsSecretRef = tls;
        return cluster;
    }
}
