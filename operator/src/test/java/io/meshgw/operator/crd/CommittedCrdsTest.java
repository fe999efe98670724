package io.meshgw.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reads the committed CRDs as an API server would and checks the parts operators rely on. */
class CommittedCrdsTest {

    static CustomResourceDefinition load(String plural) throws IOException {
        var file = CrdFreshnessTest.COMMITTED.resolve(plural + ".meshgw.io-v1.yml");
        return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    }

    static CustomResourceDefinitionVersion onlyVersion(CustomResourceDefinition crd) {
        assertThat(crd.getSpec().getVersions()).hasSize(1);
        return crd.getSpec().getVersions().getFirst();
    }

    static JSONSchemaProps spec(CustomResourceDefinition crd) {
        return onlyVersion(crd).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    @ParameterizedTest
    @CsvSource({
        // Short names that no common CRD takes: not mc (OpenShift's MachineConfig), not eip (OVN-Kubernetes' EgressIP).
        "bgppeers,          BgpPeer,           Namespaced, bgpp",
        "bgppolicies,       BgpPolicy,         Namespaced, bgppol",
        "legacyvippools,    LegacyVipPool,     Cluster,    lvp",
        "egressippools,     EgressIpPool,      Cluster,    egpool",
        "meshserviceexports, MeshServiceExport, Namespaced, mse",
        "egressidentities,  EgressIdentity,    Namespaced, egid",
        "legacyservices,    LegacyService,     Namespaced, lsvc",
        "meshclusters,      MeshCluster,       Cluster,    meshcl",
    })
    void everyCrdHasGroupScopeVersionAndStatus(String plural, String kind, String scope, String shortName)
            throws IOException {
        var crd = load(plural);
        assertThat(crd.getMetadata().getName()).isEqualTo(plural + ".meshgw.io");
        assertThat(crd.getSpec().getGroup()).isEqualTo("meshgw.io");
        assertThat(crd.getSpec().getNames().getKind()).isEqualTo(kind);
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly(shortName);
        assertThat(crd.getSpec().getScope()).isEqualTo(scope);
        var version = onlyVersion(crd);
        assertThat(version.getName()).isEqualTo("v1alpha1");
        assertThat(version.getServed()).isTrue();
        assertThat(version.getStorage()).isTrue();
        assertThat(version.getSubresources().getStatus()).isNotNull();
        assertThat(crd.getSpec().getNames().getCategories())
                .as("kubectl get meshgw lists every meshgw object")
                .containsExactly("meshgw");
        assertThat(version.getAdditionalPrinterColumns())
                .extracting(c -> c.getName() + "=" + c.getJsonPath())
                .as("every kind shows its Ready condition and age")
                .contains("Ready=.status.conditions[?(@.type==\"Ready\")].status", "Age=.metadata.creationTimestamp");
        var status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
        assertThat(status.getProperties()).containsKeys("observedGeneration", "conditions");
        assertThat(status.getProperties()
                        .get("conditions")
                        .getItems()
                        .getSchema()
                        .getProperties())
                .containsKeys("type", "status", "reason", "message", "lastTransitionTime", "observedGeneration");
    }

    @Test
    void bgpPeerColumnsAndAsnBounds() throws IOException {
        var crd = load("bgppeers");
        assertThat(onlyVersion(crd).getAdditionalPrinterColumns())
                .extracting(c -> c.getName() + "=" + c.getJsonPath())
                .containsExactlyInAnyOrder(
                        "Peer=.spec.peerAddress",
                        "ASN=.spec.peerAsn",
                        "State=.status.sessionState",
                        "Received=.status.receivedPrefixes",
                        "Ready=.status.conditions[?(@.type==\"Ready\")].status",
                        "Age=.metadata.creationTimestamp");
        var spec = spec(crd);
        assertThat(spec.getRequired()).contains("peerAddress", "peerAsn", "localAsn");
        Map<String, JSONSchemaProps> props = spec.getProperties();
        assertThat(props.get("peerAsn").getMinimum()).isEqualTo(1.0);
        assertThat(props.get("peerAsn").getMaximum()).isEqualTo(4_294_967_295.0);
        assertThat(props.get("families").getItems().getSchema().getEnum())
                .extracting(n -> n.asText())
                .containsExactly("ipv4-unicast", "ipv6-unicast");
        var maxPrefix = props.get("maxPrefix").getItems().getSchema().getProperties();
        assertThat(maxPrefix.get("warningPercent").getMaximum()).isEqualTo(100.0);
    }

    @Test
    void meshClusterIdIsOneOctetAndNameIsADnsLabel() throws IOException {
        var props = spec(load("meshclusters")).getProperties();
        assertThat(props.get("clusterId").getMinimum()).isEqualTo(1.0);
        assertThat(props.get("clusterId").getMaximum()).isEqualTo(4095.0);
        assertThat(props.get("name").getPattern()).startsWith("^[a-z0-9]");
    }

    @Test
    void policyActionsAreAcceptOrReject() throws IOException {
        var statement = spec(load("bgppolicies"))
                .getProperties()
                .get("statements")
                .getItems()
                .getSchema();
        var result = statement.getProperties().get("actions").getProperties().get("result");
        assertThat(result.getEnum()).extracting(n -> n.asText()).containsExactly("accept", "reject");
    }

    @Test
    void egressPortRulesAreTcpOrUdpAndAPortNumber() throws IOException {
        var rule = spec(load("egressidentities"))
                .getProperties()
                .get("allowedPorts")
                .getItems()
                .getSchema();
        assertThat(rule.getRequired()).containsExactly("port");
        assertThat(rule.getProperties().get("port").getMinimum()).isEqualTo(1.0);
        assertThat(rule.getProperties().get("port").getMaximum()).isEqualTo(65535.0);
        var protocol = rule.getProperties().get("protocol");
        assertThat(protocol.getPattern()).isEqualTo("^(TCP|UDP)$");
        assertThat(protocol.getDefault().asText()).isEqualTo("TCP");
    }
}
