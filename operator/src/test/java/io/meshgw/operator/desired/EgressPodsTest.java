package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.pod;
import static io.meshgw.operator.desired.Fixtures.withStatusSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.meshgw.operator.crd.EgressIdentity;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.Plan;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which pod addresses an EgressIdentity's rule carries, and who keeps a pod two identities select. */
class EgressPodsTest {
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");

    static Plan compute(List<EgressIdentity> identities, List<Pod> pods) {
        return Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/29")))
                .egressIdentities(identities)
                .pods(pods)
                .build());
    }

    static List<String> sources(Plan state, ObjectKey identity) {
        return state.egressRules().get(identity).podAddresses().stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void theRuleCarriesTheSelectedRunningPodsOfTheSourcesFamilySortedAndOnce() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.podLabels = Map.of("app", "billing");
        var labels = Map.of("app", "billing", "tier", "api");
        var state = compute(
                List.of(billing),
                List.of(
                        pod("pay", "b-1", "billing", labels, "10.0.0.10", "fd00::a"),
                        pod("pay", "b-2", "billing", labels, "10.0.0.9", "fd00::9"),
                        pod("pay", "b-3", "billing", labels, "10.0.0.9")));
        // An IPv4 source translates IPv4 traffic only: the pods' IPv6 addresses are not the rule's.
        assertThat(sources(state, BILLING)).containsExactly("10.0.0.9", "10.0.0.10");
        assertThat(state.outcome(new ResourceRef("EgressIdentity", BILLING))
                        .orElseThrow()
                        .condition("Degraded")
                        .orElseThrow()
                        .status())
                .isEqualTo("False");
    }

    @Test
    void podsOfOtherNamespacesAccountsOrLabelsAndPodsNotRunningAreLeftOut() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.podLabels = Map.of("app", "billing");
        var app = Map.of("app", "billing");
        var pending = pod("pay", "pending", "billing", app, "10.0.0.2");
        pending.getStatus().setPhase("Pending");
        var terminating = pod("pay", "terminating", "billing", app, "10.0.0.3");
        terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        var hostNetwork = pod("pay", "host", "billing", app, "192.0.2.50");
        hostNetwork.getSpec().setHostNetwork(true);
        var state = compute(
                List.of(billing),
                List.of(
                        pod("pay", "selected", "billing", app, "10.0.0.1"),
                        pod("shop", "other-namespace", "billing", app, "10.0.1.1"),
                        pod("pay", "other-account", "web", app, "10.0.0.4"),
                        pod("pay", "other-labels", "billing", Map.of("app", "web"), "10.0.0.5"),
                        pending,
                        terminating,
                        hostNetwork));
        assertThat(sources(state, BILLING)).containsExactly("10.0.0.1");
    }

    @Test
    void anIdentityNamingAnotherNamespaceCannotResourceThatNamespacesPods() {
        // pay/billing is older, so before the confinement it took batch's pods from batch/runner.
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.namespace = "batch";
        billing.getSpec().selector.serviceAccount = null;
        var runner = egressIdentity("batch", "runner", 2, "egress");
        runner.getSpec().selector.serviceAccount = "runner";
        var state = compute(
                List.of(billing, runner),
                List.of(
                        pod("batch", "job", "runner", Map.of(), "10.0.2.1"),
                        pod("pay", "own-namespace", "billing", Map.of(), "10.0.0.1")));
        var refused = state.outcome(new ResourceRef("EgressIdentity", BILLING)).orElseThrow();
        assertThat(refused.ready()).isFalse();
        assertThat(refused.condition("Ready").orElseThrow().reason()).isEqualTo("NamespaceNotAllowed");
        assertThat(refused.condition("Ready").orElseThrow().message())
                .contains("spec.selector.namespace")
                .contains("own namespace 'pay' only, not of 'batch'");
        assertThat(state.egressRules()).doesNotContainKey(BILLING);
        var own = new ObjectKey("batch", "runner");
        assertThat(state.outcome(new ResourceRef("EgressIdentity", own))
                        .orElseThrow()
                        .ready())
                .isTrue();
        assertThat(sources(state, own)).containsExactly("10.0.2.1");
    }

    @Test
    void aSelectorNamingItsOwnNamespaceAndLeavingTheAccountOpenSelectsEveryPodThere() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.namespace = "pay";
        billing.getSpec().selector.serviceAccount = null;
        var noAccount = pod("pay", "legacy", null, Map.of(), "10.0.2.2");
        noAccount.getStatus().setPodIPs(List.of());
        noAccount.getStatus().setPodIP("10.0.2.2");
        var state = compute(
                List.of(billing),
                List.of(
                        pod("pay", "job", "runner", Map.of(), "10.0.2.1"),
                        noAccount,
                        pod("batch", "other-namespace", "billing", Map.of(), "10.0.0.1")));
        assertThat(sources(state, BILLING)).containsExactly("10.0.2.1", "10.0.2.2");
    }

    @Test
    void aPodWithoutAServiceAccountNameRunsAsDefault() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.serviceAccount = "default";
        var state = compute(List.of(billing), List.of(pod("pay", "plain", null, Map.of(), "10.0.0.1")));
        assertThat(sources(state, BILLING)).containsExactly("10.0.0.1");
    }

    @Test
    void theOlderIdentityKeepsASharedPodAndTheYoungerIsAConflictNotAppliedUntilTheOlderGoes() {
        var older = egressIdentity("pay", "billing", 1, "egress");
        var younger = egressIdentity("pay", "audit", 2, "egress");
        var pods = List.of(
                pod("pay", "b-1", "billing", Map.of(), "10.0.0.1"), pod("pay", "b-2", "billing", Map.of(), "10.0.0.2"));
        var state = compute(List.of(younger, older), pods);
        var audit = new ObjectKey("pay", "audit");
        var auditRef = new ResourceRef("EgressIdentity", audit);
        assertThat(sources(state, BILLING)).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(state.egressRules()).containsOnlyKeys(BILLING);
        assertThat(state.announcements()).containsOnlyKeys(IpPrefix.parse("198.51.100.0/32"));
        var outcome = state.outcome(auditRef).orElseThrow();
        assertThat(outcome.ready()).isFalse();
        assertThat(outcome.condition("Conflict").orElseThrow())
                .isEqualTo(ConditionState.conflict(
                        true,
                        "SelectorOverlap",
                        "the older EgressIdentity pay/billing also selects pod pay/b-1 and keeps it (1 more shared"
                                + " pod); not applied until no pod is selected by both"));
        assertThat(outcome.condition("Degraded").orElseThrow().status()).isEqualTo("Unknown");
        // Its address stays reserved, so it comes back with the same one.
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Egress(Optional.of(IpAddress.parse("198.51.100.1"))));

        // The older goes; the younger's status carries the address it was given, as the status writer left it.
        older.getMetadata().setDeletionTimestamp("2026-01-02T00:00:00Z");
        var after = compute(List.of(withStatusSource(younger, "198.51.100.1"), older), pods);
        assertThat(sources(after, audit)).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(after.egressRules().get(audit).source()).isEqualTo(IpAddress.parse("198.51.100.1"));
        var applied = after.outcome(auditRef).orElseThrow();
        assertThat(applied.ready()).isTrue();
        assertThat(applied.conflict()).isFalse();
    }

    @Test
    void anIdentityWhosePodsNoOtherSelectsIsNotInConflict() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().selector.podLabels = Map.of("app", "billing");
        var audit = egressIdentity("pay", "audit", 2, "egress");
        audit.getSpec().selector.podLabels = Map.of("app", "audit");
        var state = compute(
                List.of(billing, audit),
                List.of(
                        pod("pay", "b-1", "billing", Map.of("app", "billing"), "10.0.0.1"),
                        pod("pay", "a-1", "billing", Map.of("app", "audit"), "10.0.0.2")));
        assertThat(sources(state, BILLING)).containsExactly("10.0.0.1");
        assertThat(sources(state, new ObjectKey("pay", "audit"))).containsExactly("10.0.0.2");
        assertThat(state.outcome(new ResourceRef("EgressIdentity", new ObjectKey("pay", "audit")))
                        .orElseThrow()
                        .condition("Conflict")
                        .orElseThrow()
                        .status())
                .isEqualTo("False");
    }

    @Test
    void equallyOldIdentitiesAreOrderedByNamespaceAndName() {
        var pods = List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1"));
        var state = compute(
                List.of(egressIdentity("pay", "zeta", 1, "egress"), egressIdentity("pay", "alpha", 1, "egress")), pods);
        assertThat(state.egressRules()).containsOnlyKeys(new ObjectKey("pay", "alpha"));
        assertThat(state.outcome(new ResourceRef("EgressIdentity", new ObjectKey("pay", "zeta")))
                        .orElseThrow()
                        .message())
                .isEqualTo("the older EgressIdentity pay/alpha also selects pod pay/b-1 and keeps it; not applied"
                        + " until no pod is selected by both");
    }

    @Test
    void anOlderIdentityWithoutAnAddressDoesNotKeepPodsAndTakesThemWhenItGetsOne() {
        var older = egressIdentity("pay", "billing", 1, "late-pool");
        var younger = egressIdentity("pay", "audit", 2, "egress");
        var audit = new ObjectKey("pay", "audit");
        var pods = List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1"));

        var waiting = compute(List.of(older, younger), pods);
        assertThat(waiting.egressRules()).containsOnlyKeys(audit);
        assertThat(sources(waiting, audit)).containsExactly("10.0.0.1");
        assertThat(waiting.outcome(new ResourceRef("EgressIdentity", audit))
                        .orElseThrow()
                        .ready())
                .isTrue();

        // The pool appears: the older identity applies and the shared pod moves to it.
        var withPool = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(
                        List.of(egressPool("egress", "198.51.100.0/29"), egressPool("late-pool", "198.51.100.8/29")))
                .egressIdentities(List.of(older, withStatusSource(younger, "198.51.100.0")))
                .pods(pods)
                .build());
        assertThat(withPool.egressRules()).containsOnlyKeys(BILLING);
        assertThat(withPool.outcome(new ResourceRef("EgressIdentity", audit))
                        .orElseThrow()
                        .condition("Conflict")
                        .orElseThrow()
                        .reason())
                .isEqualTo("SelectorOverlap");
    }

    @Test
    void anOlderIdentityWhosePoolIsExhaustedDoesNotKeepPods() {
        var holder = egressIdentity("pay", "holder", 0, "tiny");
        holder.getSpec().selector.podLabels = Map.of("app", "holder");
        var older = egressIdentity("pay", "billing", 1, "tiny");
        var younger = egressIdentity("pay", "audit", 2, "egress");
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/29"), egressPool("tiny", "198.51.100.8/32")))
                .egressIdentities(List.of(holder, older, younger))
                .pods(List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1")))
                .build());
        assertThat(state.outcome(new ResourceRef("EgressIdentity", BILLING))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .reason())
                .isEqualTo("PoolExhausted");
        assertThat(sources(state, new ObjectKey("pay", "audit"))).containsExactly("10.0.0.1");
    }

    @Test
    void anOlderInvalidIdentityDoesNotKeepPods() {
        var older = egressIdentity("pay", "billing", 1, "egress");
        older.getSpec().destinations.set(0, "10.20.0.0/33");
        var younger = egressIdentity("pay", "audit", 2, "egress");
        var state = compute(List.of(older, younger), List.of(pod("pay", "b-1", "billing", Map.of(), "10.0.0.1")));
        assertThat(state.outcome(new ResourceRef("EgressIdentity", BILLING))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .reason())
                .isEqualTo("Invalid");
        var audit = state.outcome(new ResourceRef("EgressIdentity", new ObjectKey("pay", "audit")))
                .orElseThrow();
        assertThat(audit.ready()).isTrue();
        assertThat(audit.conflict()).isFalse();
        assertThat(sources(state, new ObjectKey("pay", "audit"))).containsExactly("10.0.0.1");
    }
}
