package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPolicy;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.crd.EgressIdentitySpec;
import io.meshgw.operator.crd.LegacyService;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tenants policy, evaluated with a CEL engine as the API server would (reserved words such as {@code namespace}
 * escaped as in Kubernetes 1.30, the oldest the chart supports): a tenant cannot write a BgpPeer or BgpPolicy outside
 * the gateway's namespace, nor an EgressIdentity that selects another namespace's pods, and the refusal says where the
 * object belongs. Writes the gateway accepts pass.
 */
class TenantPolicyTest {
    private static final ChartRender CHART = ChartRender.defaults();
    private static final String GATEWAY = ChartRender.NAMESPACE;
    private static final String TENANT = "alice";

    /** A write, and one part of the expected denial (empty when allowed). */
    record Case(String name, AdmissionRequest request, String denial) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        var manifests = StrictModel.parseAll(Files.readString(DeployTree.MANIFESTS));
        return Stream.concat(
                all().stream().map(c -> Arguments.of("chart", CHART.objects(), c)),
                all().stream().map(c -> Arguments.of("manifests", manifests, c)));
    }

    static List<Case> all() {
        var own = identity(TENANT, TENANT);
        return List.of(
                new Case("a BgpPeer in the gateway's namespace", create(peer(GATEWAY)), ""),
                new Case(
                        "a tenant's BgpPeer in its own namespace",
                        create(peer(TENANT)),
                        "a BgpPeer is accepted only in the gateway's namespace meshgw-system, where the network team"
                                + " keeps BgpPeers, BgpPolicies and their Secrets; not in alice"),
                new Case(
                        "a tenant's BgpPolicy in its own namespace",
                        create(policy(TENANT)),
                        "a BgpPolicy is accepted only in the gateway's namespace meshgw-system"),
                new Case("a BgpPolicy in the gateway's namespace", create(policy(GATEWAY)), ""),
                new Case("an EgressIdentity selecting its own namespace", create(own), ""),
                new Case("an EgressIdentity leaving the namespace out", create(identity(TENANT, null)), ""),
                new Case(
                        "an EgressIdentity selecting another tenant's pods",
                        create(identity(TENANT, "bob")),
                        "spec.selector.namespace: an EgressIdentity selects pods of its own namespace alice only,"
                                + " not of bob"),
                new Case(
                        "an EgressIdentity moved to another tenant's pods by an update",
                        AdmissionRequest.update(ServiceWriteScenarios.KUBE_ADMIN, own, identity(TENANT, "bob")),
                        "selects pods of its own namespace alice only, not of bob"),
                new Case(
                        "an EgressIdentity in kube-system selecting the gateway's namespace",
                        create(identity("kube-system", GATEWAY)),
                        "its own namespace kube-system only, not of meshgw-system"),
                new Case("other kinds are not this policy's business", create(legacyService(TENANT)), ""),
                new Case(
                        "deleting a BgpPeer of a tenant's namespace (clean-up) passes",
                        AdmissionRequest.delete(ServiceWriteScenarios.KUBE_ADMIN, peer(TENANT)),
                        ""));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void eachWriteGetsItsAnswer(String source, List<HasMetadata> objects, Case c) {
        var decision = ValidatingAdmission.of(objects).admit(c.request(), ValidatingAdmission.Cluster.empty());
        assertThat(wrongAnswer(c, decision)).as(c.name()).isEmpty();
    }

    /** What is wrong with the answer to a case: an erring expression, a wrong verdict, or a denial not saying why. */
    static Optional<String> wrongAnswer(Case c, ValidatingAdmission.Decision decision) {
        if (decision.message().contains("resulted in error"))
            return Optional.of("an expression erred: " + decision.message());
        if (c.denial().isEmpty()) {
            return decision.allowed() ? Optional.empty() : Optional.of("denied: " + decision.message());
        }
        if (decision.denials().size() != 1) return Optional.of("denials: " + decision.denials());
        return decision.message().contains(c.denial())
                ? Optional.empty()
                : Optional.of("the denial does not say '" + c.denial() + "': " + decision.message());
    }

    @Test
    void theGatewaysNamespaceFollowsTheSecretsNamespace() {
        var elsewhere =
                ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("kubernetes.secretsNamespace", "network"));
        var admission = ValidatingAdmission.of(elsewhere.objects());
        assertThat(admission
                        .admit(create(peer("network")), ValidatingAdmission.Cluster.empty())
                        .allowed())
                .isTrue();
        assertThat(admission
                        .admit(create(peer(GATEWAY)), ValidatingAdmission.Cluster.empty())
                        .message())
                .contains("accepted only in the gateway's namespace network");
    }

    @Test
    void clustersOlderThan130CanTurnItOff() {
        var off = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("rbac.confineTenants", "false"));
        assertThat(off.all(ValidatingAdmissionPolicy.class))
                .extracting(p -> p.getMetadata().getName())
                .doesNotContain("meshgw-tenants");
        assertThat(CHART.all(ValidatingAdmissionPolicy.class))
                .extracting(p -> p.getMetadata().getName())
                .contains("meshgw-tenants");
    }

    private static AdmissionRequest create(HasMetadata object) {
        return AdmissionRequest.create(ServiceWriteScenarios.KUBE_ADMIN, object);
    }

    private static BgpPeer peer(String namespace) {
        var p = new BgpPeer();
        p.setMetadata(meta(namespace, "dc"));
        return p;
    }

    private static BgpPolicy policy(String namespace) {
        var p = new BgpPolicy();
        p.setMetadata(meta(namespace, "export"));
        return p;
    }

    private static LegacyService legacyService(String namespace) {
        var s = new LegacyService();
        s.setMetadata(meta(namespace, "billing"));
        return s;
    }

    private static EgressIdentity identity(String namespace, String selected) {
        var e = new EgressIdentity();
        e.setMetadata(meta(namespace, "client"));
        var spec = new EgressIdentitySpec();
        spec.selector = new EgressIdentitySpec.Selector();
        spec.selector.namespace = selected;
        spec.selector.podLabels = Map.of("app", "client");
        spec.destinations = List.of("192.0.2.0/24");
        e.setSpec(spec);
        return e;
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String namespace, String name) {
        return new ObjectMetaBuilder().withNamespace(namespace).withName(name).build();
    }
}
