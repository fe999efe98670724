package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Node writes policy, evaluated with a CEL engine as the API server would: the gateway's service account changes
 * only its two annotations on a Node (meshgw.io/gateway-identity, meshgw.io/tunnel-endpoint), on its own Node where
 * the API server says which node its token is bound to, and nothing else: no other annotation, label or taint, no
 * Node created or deleted. Everyone else's writes are not its business.
 */
class NodeWritePolicyTest {
    private static final ChartRender CHART = ChartRender.defaults();
    private static final String GATEWAY = new ServiceWriteScenarios(CHART).gateway;
    private static final String KUBELET = "system:node:node-a";
    private static final String IDENTITY = "meshgw.io/gateway-identity";
    private static final String ENDPOINT = "meshgw.io/tunnel-endpoint";
    private static final String ONLY_OURS =
            "meshgw changes only the annotations meshgw.io/gateway-identity and meshgw.io/tunnel-endpoint of a Node";
    private static final String NO_LABEL = "meshgw changes no label, taint or other spec field of a Node";

    static Stream<Arguments> cases() throws IOException {
        var manifests = StrictModel.parseAll(Files.readString(DeployTree.MANIFESTS));
        return Stream.concat(
                all().stream().map(c -> Arguments.of("chart", CHART.objects(), c)),
                all().stream().map(c -> Arguments.of("manifests", manifests, c)));
    }

    static List<TenantPolicyTest.Case> all() {
        var bare = node("node-a", Map.of("team", "edge"), Map.of("cluster.example/rack", "r1"));
        var described = with(bare, Map.of(IDENTITY, "meshgw-abcde", ENDPOINT, "10.1.0.1"));
        return List.of(
                allowed("the gateway describes itself on its Node", update(bare, described)),
                allowed(
                        "the gateway changes its endpoint",
                        update(described, with(described, Map.of(ENDPOINT, "10.1.0.9")))),
                allowed("the gateway removes its endpoint", update(described, without(described, ENDPOINT))),
                allowed(
                        "the gateway describes the Node its token is bound to",
                        update(bare, described).boundToNode("node-a")),
                denied(
                        "the gateway describes another Node than the one its token is bound to",
                        update(bare, described).boundToNode("node-b"),
                        "meshgw describes only its own Node, node-b, not node-a"),
                denied(
                        "the gateway adds another annotation",
                        update(described, with(described, Map.of("meshgw.io/other", "x"))),
                        ONLY_OURS),
                denied(
                        "the gateway changes another annotation",
                        update(described, with(described, Map.of("cluster.example/rack", "r2"))),
                        ONLY_OURS),
                denied(
                        "the gateway removes another annotation",
                        update(described, without(described, "cluster.example/rack")),
                        ONLY_OURS),
                denied(
                        "the gateway drains a Node by its label",
                        update(
                                described,
                                labelled(described, "node.kubernetes.io/exclude-from-external-load-balancers")),
                        NO_LABEL),
                denied("the gateway taints a Node", update(described, tainted(described)), NO_LABEL),
                denied(
                        "the gateway creates a Node",
                        AdmissionRequest.create(GATEWAY, node("node-c", Map.of(), Map.of())),
                        "meshgw neither creates nor deletes Nodes"),
                denied(
                        "the gateway deletes a Node",
                        AdmissionRequest.delete(GATEWAY, node("node-c", Map.of(), Map.of())),
                        "meshgw neither creates nor deletes Nodes"),
                allowed(
                        "the kubelet changes its Node's labels and annotations",
                        AdmissionRequest.update(
                                KUBELET, described, labelled(without(described, "cluster.example/rack"), "team-2"))));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("cases")
    void eachWriteGetsItsAnswer(String source, List<HasMetadata> objects, TenantPolicyTest.Case c) {
        var decision = ValidatingAdmission.of(objects).admit(c.request(), ValidatingAdmission.Cluster.empty());
        assertThat(TenantPolicyTest.wrongAnswer(c, decision)).as(c.name()).isEmpty();
    }

    @Test
    void clustersOlderThan130CanTurnItOff() {
        var off = ChartRender.of(DeployTree.CHART, Optional.empty(), Map.of("rbac.restrictNodeWrites", "false"));
        assertThat(off.all(ValidatingAdmissionPolicy.class))
                .extracting(p -> p.getMetadata().getName())
                .doesNotContain("meshgw-node-writes");
        assertThat(CHART.all(ValidatingAdmissionPolicy.class))
                .extracting(p -> p.getMetadata().getName())
                .contains("meshgw-node-writes");
    }

    private static TenantPolicyTest.Case allowed(String name, AdmissionRequest request) {
        return new TenantPolicyTest.Case(name, request, "");
    }

    private static TenantPolicyTest.Case denied(String name, AdmissionRequest request, String denial) {
        return new TenantPolicyTest.Case(name, request, denial);
    }

    private static AdmissionRequest update(Node old, Node next) {
        return AdmissionRequest.update(GATEWAY, old, next);
    }

    private static Node node(String name, Map<String, String> labels, Map<String, String> annotations) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withPodCIDR("10.1.0.0/24")
                .endSpec()
                .build();
    }

    private static Node with(Node n, Map<String, String> annotations) {
        var all = new HashMap<>(n.getMetadata().getAnnotations());
        all.putAll(annotations);
        return new NodeBuilder(n)
                .editMetadata()
                .withAnnotations(all)
                .endMetadata()
                .build();
    }

    private static Node without(Node n, String annotation) {
        var all = new HashMap<>(n.getMetadata().getAnnotations());
        all.remove(annotation);
        return new NodeBuilder(n)
                .editMetadata()
                .withAnnotations(all)
                .endMetadata()
                .build();
    }

    private static Node labelled(Node n, String label) {
        var all = new HashMap<>(n.getMetadata().getLabels());
        all.put(label, "");
        return new NodeBuilder(n).editMetadata().withLabels(all).endMetadata().build();
    }

    private static Node tainted(Node n) {
        return new NodeBuilder(n)
                .editSpec()
                .withTaints(new Taint("NoSchedule", "meshgw.io/took-over", null, "x"))
                .endSpec()
                .build();
    }
}
