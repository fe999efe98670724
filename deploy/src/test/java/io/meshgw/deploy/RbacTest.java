package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked as the exact set of (group, resource, verb, name) grants: what the gateway's operator
 * watches, the status and finalizer it writes, the Lease it elects a leader with, in its own namespace only, and the
 * Secrets it reads, in the one Secrets namespace only.
 */
class RbacTest {
    private final ChartRender render = ChartRender.defaults();

    /** One permission; name "" for any object. */
    record Grant(String group, String resource, String verb, String name) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + " " + verb
                    + (name.isEmpty() ? "" : " " + name);
        }
    }

    @Test
    void noWildcardsAnywhere() {
        List<PolicyRule> rules = new ArrayList<>(render.one(ClusterRole.class).getRules());
        render.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
        assertThat(render.all(Role.class)).hasSize(3);
        for (PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResources()).doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
            assertThat(rule.getApiGroups()).doesNotContain("*");
            assertThat(rule.getNonResourceURLs()).isEmpty();
        }
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorUses() {
        Set<Grant> expected = new TreeSet<>();
        for (String plural : crdPlurals()) {
            for (String verb : List.of("get", "list", "watch")) expected.add(new Grant("meshgw.io", plural, verb, ""));
            expected.add(new Grant("meshgw.io", plural + "/status", "update", ""));
        }
        // Each gateway's own entry in BgpPeer status.nodes (operator.reconcile.NodeStatusWriter): a JSON patch.
        expected.add(new Grant("meshgw.io", "bgppeers/status", "patch", ""));
        expected.add(new Grant("meshgw.io", "meshserviceexports", "patch", ""));
        expected.add(new Grant("meshgw.io", "meshserviceexports/finalizers", "update", ""));
        for (var read : Map.of("", List.of("services", "pods", "nodes"), "discovery.k8s.io", List.of("endpointslices"))
                .entrySet()) {
            for (String resource : read.getValue()) {
                for (String verb : List.of("get", "list", "watch")) {
                    expected.add(new Grant(read.getKey(), resource, verb, ""));
                }
            }
        }
        // Each gateway's description of itself on its own Node (operator.reconcile.NodeAnnotationWriter); the node
        // write policy narrows it to two annotations.
        expected.add(new Grant("", "nodes", "patch", ""));
        // The headless Service and EndpointSlices that make each LegacyService a name pods resolve.
        for (var write :
                Map.of("", "services", "discovery.k8s.io", "endpointslices").entrySet()) {
            for (String verb : List.of("create", "update", "patch", "delete")) {
                expected.add(new Grant(write.getKey(), write.getValue(), verb, ""));
            }
        }
        // The Events of status transitions (operator.reconcile.EventWriter): created, and patched to count repeats.
        expected.add(new Grant("events.k8s.io", "events", "create", ""));
        expected.add(new Grant("events.k8s.io", "events", "patch", ""));

        assertThat(grants(render.one(ClusterRole.class).getRules())).containsExactlyElementsOf(expected);
    }

    @Test
    void secretsAreReadOnlyAndOnlyInTheSecretsNamespace() {
        assertThat(grants(render.one(ClusterRole.class).getRules()))
                .noneMatch(g -> g.resource().equals("secrets"));
        assertSecretsRole(render, ChartRender.NAMESPACE);

        var elsewhere = ChartRender.of(
                DeployTree.CHART, Optional.empty(), Map.of("kubernetes.secretsNamespace", "bgp-secrets"));
        assertSecretsRole(elsewhere, "bgp-secrets");
        assertThat(role(elsewhere, "-leader-election").getMetadata().getNamespace())
                .isEqualTo(ChartRender.NAMESPACE);
    }

    @Test
    void aReleaseInKubeSystemWouldReadTheClustersOwnSecretsAndIsRefused() {
        assertThatThrownBy(() -> ChartRender.inNamespace("kube-system", Map.of()))
                .hasMessageContaining("kube-system holds the cluster's own")
                .hasMessageContaining("kubernetes.secretsNamespace");
        assertThatThrownBy(() -> ChartRender.of(
                        DeployTree.CHART, Optional.empty(), Map.of("kubernetes.secretsNamespace", "kube-system")))
                .hasMessageContaining("kube-system holds the cluster's own");
        // Released there with the Secrets read elsewhere, the Role is not in kube-system.
        var render = ChartRender.inNamespace("kube-system", Map.of("kubernetes.secretsNamespace", "meshgw-secrets"));
        assertThat(role(render, "-secrets").getMetadata().getNamespace()).isEqualTo("meshgw-secrets");
    }

    /** One Role granting only get/list/watch on Secrets in {@code namespace}, bound there, and the gateway told so. */
    private static void assertSecretsRole(ChartRender render, String namespace) {
        var role = role(render, "-secrets");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(grants(role.getRules()))
                .containsExactlyInAnyOrder(
                        new Grant("", "secrets", "get", ""),
                        new Grant("", "secrets", "list", ""),
                        new Grant("", "secrets", "watch", ""));
        var binding = binding(render, role);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(namespace);
        assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName())
                    .isEqualTo(render.one(ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        });
        assertThat(Env.of(SecurityPostureTest.gateway(render))
                        .get("MESHGW_KUBERNETES_SECRETS_NAMESPACE")
                        .getValue())
                .isEqualTo(namespace);
    }

    @Test
    void theGatewayReadsOnlyItsOwnDaemonSetToTellAnUninstallFromARestart() {
        assertThat(grants(render.one(ClusterRole.class).getRules()))
                .noneMatch(g -> g.resource().equals("daemonsets"));
        Role role = role(render, "-release");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        String daemonSet = render.one(DaemonSet.class).getMetadata().getName();
        assertThat(grants(role.getRules())).containsExactly(new Grant("apps", "daemonsets", "get", daemonSet));
        assertThat(Env.of(SecurityPostureTest.gateway(render))
                        .get("MESHGW_KUBERNETES_DAEMON_SET")
                        .getValue())
                .isEqualTo(daemonSet);
    }

    @Test
    void leasesOnlyInARoleInTheReleaseNamespace() {
        assertThat(grants(render.one(ClusterRole.class).getRules()))
                .noneMatch(g -> g.group().equals("coordination.k8s.io"));

        Role role = role(render, "-leader-election");
        assertThat(role.getMetadata().getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        assertThat(grants(role.getRules()))
                .containsExactlyInAnyOrder(
                        new Grant("coordination.k8s.io", "leases", "create", ""),
                        new Grant("coordination.k8s.io", "leases", "get", "meshgw-operator"),
                        new Grant("coordination.k8s.io", "leases", "patch", "meshgw-operator"));

        var container = SecurityPostureTest.gateway(render);
        assertThat(Env.of(container).get("MESHGW_KUBERNETES_LEASE_NAMESPACE").getValue())
                .isEqualTo("$(POD_NAMESPACE)");
        assertThat(Env.of(container)
                        .get("POD_NAMESPACE")
                        .getValueFrom()
                        .getFieldRef()
                        .getFieldPath())
                .isEqualTo("metadata.namespace");
    }

    @Test
    void bindingsGiveTheRolesToTheGatewaysServiceAccount() {
        String account = render.one(ServiceAccount.class).getMetadata().getName();
        assertThat(render.one(DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account);

        var clusterBinding = render.one(ClusterRoleBinding.class);
        assertThat(clusterBinding.getRoleRef().getKind()).isEqualTo("ClusterRole");
        assertThat(clusterBinding.getRoleRef().getName())
                .isEqualTo(render.one(ClusterRole.class).getMetadata().getName());
        assertThat(clusterBinding.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo(account);
            assertThat(s.getNamespace()).isEqualTo(ChartRender.NAMESPACE);
        });

        assertThat(render.all(RoleBinding.class)).hasSize(render.all(Role.class).size());
        for (Role role : render.all(Role.class)) {
            var binding = binding(render, role);
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getMetadata().getNamespace())
                    .isEqualTo(role.getMetadata().getNamespace());
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
                assertThat(s.getName()).isEqualTo(account);
                assertThat(s.getNamespace()).isEqualTo(ChartRender.NAMESPACE);
            });
        }
    }

    @Test
    void rbacCanBeLeftToTheCluster() {
        var none = ChartRender.of(
                DeployTree.CHART,
                Optional.empty(),
                Map.of("rbac.create", "false", "serviceAccount.create", "false", "serviceAccount.name", "gw"));
        assertThat(none.all(ClusterRole.class)).isEmpty();
        assertThat(none.all(Role.class)).isEmpty();
        assertThat(none.all(ServiceAccount.class)).isEmpty();
        assertThat(none.one(DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("gw");
    }

    @Test
    void theNodeRoleOnlyReads() {
        var render = NodeRoleTest.render(NodeRoleTest.ENABLED);
        Set<Grant> expected = new TreeSet<>();
        for (String verb : List.of("get", "list", "watch")) {
            expected.add(new Grant("", "nodes", verb, ""));
            expected.add(new Grant("", "pods", verb, ""));
            expected.add(new Grant("meshgw.io", "egressidentities", verb, ""));
            expected.add(new Grant("meshgw.io", "egressippools", verb, ""));
            // The gateways' Lease, by name: list and watch with the field selector metadata.name.
            expected.add(new Grant("coordination.k8s.io", "leases", verb, "meshgw-operator"));
        }
        // Its own DaemonSet, which tells an uninstall from a restart (MESHGW_KUBERNETES_DAEMON_SET).
        expected.add(new Grant("apps", "daemonsets", "get", ChartRender.NODE_ROLE));

        Set<Grant> granted = grantsOf(render, ChartRender.NODE_ROLE);
        assertThat(granted).containsExactlyElementsOf(expected);
        assertThat(granted)
                .as("no write verb")
                .allSatisfy(g -> assertThat(g.verb()).isIn("get", "list", "watch"));
        assertThat(SecurityPostureTest.nodeRolePod(render).getServiceAccountName())
                .isEqualTo(ChartRender.NODE_ROLE);
        var env = Env.of(SecurityPostureTest.nodeRole(render));
        assertThat(env.value("MESHGW_KUBERNETES_DAEMON_SET")).isEqualTo(ChartRender.NODE_ROLE);
        assertThat(env.value("MESHGW_KUBERNETES_LEASE_NAMESPACE")).isEqualTo("$(POD_NAMESPACE)");
        assertThat(render.named(Role.class, ChartRender.NODE_ROLE).getMetadata().getNamespace())
                .isEqualTo(ChartRender.NAMESPACE);
        // The Lease the node role reads is the one the gateway elects a leader with.
        assertThat(grants(role(render, "-leader-election").getRules()))
                .contains(new Grant("coordination.k8s.io", "leases", "get", "meshgw-operator"));
    }

    @Test
    void theGatewayKeepsItsPermissionsAndTheNodeRoleGetsNoneOfThem() {
        var render = NodeRoleTest.render(NodeRoleTest.ENABLED);
        assertThat(grantsOf(render, ChartRender.GATEWAY)).isEqualTo(grantsOf(this.render, ChartRender.GATEWAY));
        for (var binding : render.all(ClusterRoleBinding.class)) {
            assertThat(binding.getSubjects()).singleElement();
        }
        for (var binding : render.all(RoleBinding.class)) {
            assertThat(binding.getSubjects()).singleElement();
        }
    }

    @Test
    void theNodeRolesPermissionsCanBeLeftToTheClusterToo() {
        var set = new HashMap<>(NodeRoleTest.ENABLED);
        set.putAll(Map.of(
                "rbac.create", "false",
                "serviceAccount.create", "false",
                "serviceAccount.name", "gw",
                "nodeRole.serviceAccountName", "node"));
        var none = NodeRoleTest.render(set);
        assertThat(none.all(ClusterRole.class)).isEmpty();
        assertThat(none.all(Role.class)).isEmpty();
        assertThat(none.all(ServiceAccount.class)).isEmpty();
        assertThat(SecurityPostureTest.nodeRolePod(none).getServiceAccountName())
                .isEqualTo("node");
        set.remove("nodeRole.serviceAccountName");
        assertThatThrownBy(() -> NodeRoleTest.render(set)).hasMessageContaining("nodeRole.serviceAccountName");
    }

    /** Every grant the bindings of the chart give the ServiceAccount {@code account} of the release namespace. */
    static Set<Grant> grantsOf(ChartRender render, String account) {
        Set<Grant> out = new TreeSet<>();
        for (var binding : render.all(ClusterRoleBinding.class)) {
            if (names(binding.getSubjects(), account)) {
                out.addAll(grants(
                        render.named(ClusterRole.class, binding.getRoleRef().getName())
                                .getRules()));
            }
        }
        for (var binding : render.all(RoleBinding.class)) {
            if (names(binding.getSubjects(), account)) {
                var rules = binding.getRoleRef().getKind().equals("Role")
                        ? render.named(Role.class, binding.getRoleRef().getName())
                                .getRules()
                        : render.named(ClusterRole.class, binding.getRoleRef().getName())
                                .getRules();
                out.addAll(grants(rules));
            }
        }
        return out;
    }

    private static boolean names(List<Subject> subjects, String account) {
        return subjects.stream()
                .anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(account)
                        && ChartRender.NAMESPACE.equals(s.getNamespace()));
    }

    /** The Role whose name ends with {@code suffix}. */
    private static Role role(ChartRender render, String suffix) {
        var found = render.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().endsWith(suffix))
                .toList();
        assertThat(found).as("Roles named *%s", suffix).hasSize(1);
        return found.getFirst();
    }

    /** The RoleBinding granting {@code role}. */
    private static RoleBinding binding(ChartRender render, Role role) {
        var found = render.all(RoleBinding.class).stream()
                .filter(b -> b.getRoleRef().getName().equals(role.getMetadata().getName()))
                .toList();
        assertThat(found)
                .as("bindings of Role %s", role.getMetadata().getName())
                .hasSize(1);
        return found.getFirst();
    }

    private static Set<String> crdPlurals() {
        Set<String> plurals = new TreeSet<>();
        for (CustomResourceDefinition crd : Crds.load(DeployTree.CRDS)) {
            plurals.add(crd.getSpec().getNames().getPlural());
            assertThat(crd.getSpec().getGroup()).isEqualTo("meshgw.io");
        }
        assertThat(plurals).hasSize(8);
        return plurals;
    }

    static Set<Grant> grants(List<PolicyRule> rules) {
        Set<Grant> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            List<String> names = rule.getResourceNames().isEmpty() ? List.of("") : rule.getResourceNames();
            for (String group : rule.getApiGroups())
                for (String resource : rule.getResources())
                    for (String verb : rule.getVerbs())
                        for (String name : names) out.add(new Grant(group, resource, verb, name));
        }
        return out;
    }
}
