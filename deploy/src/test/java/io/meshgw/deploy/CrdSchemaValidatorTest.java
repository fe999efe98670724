package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.Test;

/** The validator catches each kind of violation and names the field. */
class CrdSchemaValidatorTest {
    private static final CrdSchemaValidator PEERS = validator("BgpPeer");
    private static final CrdSchemaValidator CLUSTERS = validator("MeshCluster");
    private static final CrdSchemaValidator POLICIES = validator("BgpPolicy");

    private static final String PEER = """
            apiVersion: meshgw.io/v1alpha1
            kind: BgpPeer
            metadata: {name: tor1, namespace: meshgw-system}
            spec:
              peerAddress: 192.0.2.1
              peerAsn: 65000
              localAsn: 65001
              families: [ipv4-unicast]
              timers: {holdTimeSeconds: 90}
              maxPrefix: [{family: ipv4-unicast, limit: 10}]
            """;

    @Test
    void aValidObjectHasNoViolation() {
        assertThat(PEERS.validate(yaml(PEER))).isEmpty();
    }

    @Test
    void missingRequiredField() {
        assertThat(violations(PEERS, PEER.replace("  peerAsn: 65000\n", ""))).containsExactly("spec.peerAsn: required");
        assertThat(violations(PEERS, PEER.replace("{family: ipv4-unicast, limit: 10}", "{family: ipv4-unicast}")))
                .containsExactly("spec.maxPrefix[0].limit: required");
    }

    @Test
    void wrongType() {
        assertThat(violations(PEERS, PEER.replace("peerAsn: 65000", "peerAsn: \"65000\"")))
                .containsExactly("spec.peerAsn: must be of type integer, not string '65000'");
        assertThat(violations(PEERS, PEER.replace("families: [ipv4-unicast]", "families: ipv4-unicast")))
                .containsExactly("spec.families: must be of type array, not string 'ipv4-unicast'");
        assertThat(violations(PEERS, PEER.replace("timers: {holdTimeSeconds: 90}", "timers: {holdTimeSeconds: 1.5}")))
                .containsExactly("spec.timers.holdTimeSeconds: must be of type integer, not number 1.5");
    }

    @Test
    void valueOutsideEnum() {
        assertThat(violations(PEERS, PEER.replace("families: [ipv4-unicast]", "families: [ipv4-unicast, l2vpn-evpn]")))
                .singleElement()
                .asString()
                .startsWith("spec.families[1]: string 'l2vpn-evpn' is not one of");
    }

    @Test
    void belowMinimumAndAboveMaximum() {
        assertThat(violations(PEERS, PEER.replace("peerAsn: 65000", "peerAsn: 0")))
                .containsExactly("spec.peerAsn: 0 is below the minimum 1");
        assertThat(violations(PEERS, PEER.replace("peerAsn: 65000", "peerAsn: 4294967296")))
                .containsExactly("spec.peerAsn: 4294967296 is above the maximum 4294967295");
        assertThat(violations(PEERS, PEER.replace("peerAsn: 65000", "peerAsn: 4294967295")))
                .isEmpty();
    }

    @Test
    void patternMismatch() {
        String cluster = """
                apiVersion: meshgw.io/v1alpha1
                kind: MeshCluster
                metadata: {name: west}
                spec: {clusterId: 2, name: West_1, kafka: {bootstrapServers: "k:9093"}}
                """;
        assertThat(violations(CLUSTERS, cluster))
                .singleElement()
                .asString()
                .startsWith("spec.name: 'West_1' does not match ^[a-z0-9]");
        String policy = """
                apiVersion: meshgw.io/v1alpha1
                kind: BgpPolicy
                metadata: {name: p}
                spec:
                  statements:
                  - match: {communities: ["65000:7", "no-export"]}
                    actions: {result: accept}
                """;
        assertThat(violations(POLICIES, policy))
                .singleElement()
                .asString()
                .startsWith("spec.statements[0].match.communities[1]: 'no-export' does not match");
    }

    @Test
    void unknownFieldsAreRejectedAsKubectlsStrictValidationWould() {
        assertThat(violations(PEERS, PEER.replace("  localAsn: 65001\n", "  localAsn: 65001\n  localASN: 1\n")))
                .containsExactly("spec.localASN: unknown field");
        assertThat(violations(PEERS, PEER + "extra: true\n")).containsExactly("extra: unknown field");
    }

    @Test
    void scopeAndKindAreChecked() {
        String cluster = """
                apiVersion: meshgw.io/v1alpha1
                kind: MeshCluster
                metadata: {name: west, namespace: default}
                spec: {clusterId: 2, name: west, kafka: {bootstrapServers: "k:9093"}}
                """;
        assertThat(violations(CLUSTERS, cluster))
                .containsExactly("metadata.namespace: MeshCluster is cluster-scoped; it has no namespace");
        assertThat(violations(PEERS, PEER.replace("meshgw.io/v1alpha1", "meshgw.io/v1")))
                .singleElement()
                .asString()
                .startsWith("apiVersion: 'meshgw.io/v1' BgpPeer is not served");
    }

    @Test
    void aSchemaKeywordItCannotCheckIsAnErrorNotASilentPass() {
        // A fresh parse: changing it changes no other test's copy.
        CustomResourceDefinition crd = Crds.freshBgpPeer();
        JSONSchemaProps peerAsn = Crds.specProperty(crd, "peerAsn");
        peerAsn.setFormat("int64");

        assertThatThrownBy(() -> new CrdSchemaValidator(crd).validate(yaml(PEER)))
                .isInstanceOf(CrdSchemaValidator.UnsupportedSchemaException.class)
                .hasMessageContaining("spec.peerAsn")
                .hasMessageContaining("format int64");
    }

    private static java.util.List<String> violations(CrdSchemaValidator validator, String yaml) {
        return validator.validate(yaml(yaml)).stream().map(Object::toString).toList();
    }

    private static JsonNode yaml(String text) {
        return StrictModel.documents(text).getFirst();
    }

    private static CrdSchemaValidator validator(String kind) {
        return Crds.validators().stream()
                .filter(v -> v.kind().equals(kind))
                .findFirst()
                .orElseThrow();
    }
}
