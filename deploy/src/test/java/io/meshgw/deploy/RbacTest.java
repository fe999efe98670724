package io.meshgw.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, checked as the exact set of (group, resource, verb, name) grants: what the gateway's operator
 * watches, the status and finalizer it writes, and the Lease it elects a leader with, in its own namespace only.
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
        for (var rules : List.of(
                render.one(ClusterRole.class).getRules(), render.one(Role.class).getRules())) {
            for (PolicyRule rule : rules) {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
                assertThat(rule.getApiGroups()).doesNotContain("*");
                assertThat(rule.getNonResourceURLs()).isEmpty();
            }
        }
    }

    @Test
    void clusterRoleGrantsExactlyWhatTheOperatorUses() {
        Set<Grant> expected = new TreeSet<>();
        for (String plural : crdPlurals()) {
            for (String verb : List.of("get", "list", "watch")) expected.add(new Grant("meshgw.io", plural, verb, ""));
            expected.add(new Grant("meshgw.io", plural + "/status", "update", ""));
        }
        expected.add(new Grant("meshgw.io", "meshserviceexports", "patch", ""));
        expected.add(new Grant("meshgw.io", "meshserviceexports/finalizers", "update", ""));
        for (var read : Map.of(
                        "", List.of("services", "pods", "secrets"), "discovery.k8s.io", List.of("endpointslices"))
                .entrySet()) {
            for (String resource : read.getValue()) {
                for (String verb : List.of("get", "list", "watch")) {
                    expected.add(new Grant(read.getKey(), resource, verb, ""));
                }
            }
        }
        // The headless Service and EndpointSlices that make each LegacyService a name pods resolve.
        for (var write :
                Map.of("", "services", "discovery.k8s.io", "endpointslices").entrySet()) {
            for (String verb : List.of("create", "update", "patch", "delete")) {
                expected.add(new Grant(write.getKey(), write.getValue(), verb, ""));
            }
        }
        expected.add(new Grant("", "events", "create", ""));

        assertThat(grants(render.one(ClusterRole.class).getRules())).containsExactlyElementsOf(expected);
    }

    @Test
    void secretsAreReadOnly() {
        assertThat(grants(render.one(ClusterRole.class).getRules()))
                .filteredOn(g -> g.resource().equals("secrets"))
                .extracting(Grant::verb)
                .containsExactlyInAnyOrder("get", "list", "watch");
    }

    @Test
    void leasesOnlyInARoleInTheReleaseNamespace() {
        assertThat(grants(render.one(ClusterRole.class).getRules()))
                .noneMatch(g -> g.group().equals("coordination.k8s.io"));

        Role role = render.one(Role.class);
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

        var binding = render.one(RoleBinding.class);
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName())
                .isEqualTo(render.one(Role.class).getMetadata().getName());
        assertThat(binding.getSubjects())
                .singleElement()
                .satisfies(s -> assertThat(s.getName()).isEqualTo(account));
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
