package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.egressIdentity;
import static io.meshgw.operator.desired.Fixtures.egressPool;
import static io.meshgw.operator.desired.Fixtures.egressPoolFor;
import static io.meshgw.operator.desired.Fixtures.export;
import static io.meshgw.operator.desired.Fixtures.vipPool;
import static io.meshgw.operator.desired.Fixtures.withStatusSource;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.EgressPortRule;
import io.meshgw.operator.plan.EgressRule;
import io.meshgw.operator.plan.IdentityNumbers;
import io.meshgw.operator.plan.PortRule;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import io.meshgw.types.Protocol;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PoolAndEgressPlannerTest {
    static final ObjectKey BILLING = new ObjectKey("pay", "billing");
    static final ResourceRef BILLING_REF = new ResourceRef("EgressIdentity", BILLING);

    @Test
    void poolsOfBothKindsMustNotOverlapAndNeitherHandsOutAddresses() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/28")))
                .egressPools(List.of(egressPool("egress", "192.0.2.8/29")))
                .exports(List.of(export("shop", "web", 1, "vips")))
                .build());
        var vips = state.outcome(new ResourceRef("LegacyVipPool", ObjectKey.cluster("vips")))
                .orElseThrow();
        assertThat(vips.ready()).isFalse();
        assertThat(vips.condition("Ready").orElseThrow().message()).contains("overlaps EgressIpPool 'egress'");
        assertThat(state.outcome(new ResourceRef("EgressIpPool", ObjectKey.cluster("egress")))
                        .orElseThrow()
                        .ready())
                .isFalse();
        assertThat(state.outcome(new ResourceRef("MeshServiceExport", new ObjectKey("shop", "web")))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .reason())
                .isEqualTo("PoolNotReady");
    }

    @Test
    void aPoolReportsHowManyAddressesItGaveOut() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .vipPools(List.of(vipPool("vips", "192.0.2.0/29")))
                .exports(List.of(export("shop", "web", 1, "vips"), export("shop", "api", 2, "vips")))
                .build());
        assertThat(state.outcome(new ResourceRef("LegacyVipPool", ObjectKey.cluster("vips")))
                        .orElseThrow()
                        .fields())
                .isEqualTo(new StatusFields.Pool(2, 6));
    }

    @Test
    void anEgressIdentityGetsAStableAnnouncedSourceAddress() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(
                        egressIdentity("pay", "newer", 1, "egress"),
                        withStatusSource(egressIdentity("pay", "billing", 2, "egress"), "198.51.100.0")))
                .build());
        var newer = new ObjectKey("pay", "newer");
        var identities = IdentityNumbers.assign(Set.of(IdentityNumbers.egress(BILLING), IdentityNumbers.egress(newer)));
        assertThat(state.egressRules().get(BILLING))
                .isEqualTo(new EgressRule(
                        BILLING,
                        identities.get(IdentityNumbers.egress(BILLING)),
                        IpAddress.parse("198.51.100.0"),
                        List.of(IpPrefix.parse("10.20.0.0/16")),
                        List.of(),
                        List.of()));
        assertThat(state.egressRules().get(newer).source()).isEqualTo(IpAddress.parse("198.51.100.1"));
        assertThat(state.egressRules().get(newer).identity()).isEqualTo(identities.get(IdentityNumbers.egress(newer)));
        assertThat(state.announcements())
                .containsOnlyKeys(IpPrefix.parse("198.51.100.0/32"), IpPrefix.parse("198.51.100.1/32"));
        assertThat(state.outcome(BILLING_REF).orElseThrow().fields())
                .isEqualTo(new StatusFields.Egress(Optional.of(IpAddress.parse("198.51.100.0"))));
    }

    /** Billing asks for the address holder keeps; {@code replica} plans. */
    static Snapshot.Builder billingRequestsHoldersSource() {
        var holder = withStatusSource(egressIdentity("pay", "holder", 5, "egress"), "198.51.100.2");
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().requestedSourceIp = "198.51.100.2";
        return Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(holder, billing));
    }

    @Test
    void aTranslatedSourceIsServedByTheReplicaThatPlansAndAConflictingOneByNone() {
        var state =
                Planner.plan(billingRequestsHoldersSource().replica("east-gw-2").build());

        assertThat(state.outcome(new ResourceRef("EgressIdentity", new ObjectKey("pay", "holder")))
                        .orElseThrow()
                        .fields())
                .isEqualTo(new StatusFields.Egress(
                        Optional.of(IpAddress.parse("198.51.100.2")), Optional.of("east-gw-2")));
        assertThat(state.outcome(BILLING_REF).orElseThrow().fields())
                .isEqualTo(new StatusFields.Egress(Optional.empty(), Optional.empty()));
    }

    @Test
    void aRequestedSourceHeldByAnotherIdentityIsAConflict() {
        var state = Planner.plan(billingRequestsHoldersSource().build());
        var outcome = state.outcome(BILLING_REF).orElseThrow();
        assertThat(outcome.condition("Conflict").orElseThrow().status()).isEqualTo("True");
        assertThat(state.egressRules()).doesNotContainKey(BILLING);
    }

    @Test
    void anInvalidDestinationLeavesTheIdentityUnapplied() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().destinations = List.of("10.20.0.1/16");
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(billing))
                .build());
        assertThat(state.egressRules()).isEmpty();
        assertThat(state.outcome(BILLING_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.destinations[0]: '10.20.0.1/16' has host bits set");
    }

    @Test
    void allowedPortsReachTheRuleSortedOnceEachAndTcpWhenUnset() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().allowedPorts = List.of(
                new EgressPortRule("UDP", 53),
                new EgressPortRule(null, 443),
                new EgressPortRule("TCP", 443),
                new EgressPortRule("TCP", 65535),
                new EgressPortRule("TCP", 1));
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(billing))
                .build());
        assertThat(state.egressRules().get(BILLING).allowedPorts())
                .containsExactly(
                        new PortRule(Protocol.TCP, 1),
                        new PortRule(Protocol.TCP, 443),
                        new PortRule(Protocol.TCP, 65535),
                        new PortRule(Protocol.UDP, 53));
    }

    @Test
    void aPortRuleTheSchemaWouldRejectLeavesTheIdentityUnapplied() {
        var billing = egressIdentity("pay", "billing", 1, "egress");
        billing.getSpec().allowedPorts = List.of(
                new EgressPortRule("SCTP", 0), new EgressPortRule("UDP", null), new EgressPortRule("TCP", 65536));
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(billing))
                .build());
        assertThat(state.egressRules()).isEmpty();
        assertThat(state.outcome(BILLING_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.allowedPorts[0].protocol: 'SCTP' is not TCP or UDP; "
                        + "spec.allowedPorts[0].port: 0 is not in 1..65535; "
                        + "spec.allowedPorts[1].port: is required; "
                        + "spec.allowedPorts[2].port: 65536 is not in 1..65535");
    }

    @Test
    void anInvalidIdentityClaimsNoAddress() {
        var invalid = egressIdentity("pay", "broken", 1, "egress");
        invalid.getSpec().destinations = List.of("10.20.0.1/16");
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPool("egress", "198.51.100.0/30")))
                .egressIdentities(List.of(invalid, egressIdentity("pay", "billing", 2, "egress")))
                .build());
        assertThat(state.egressRules().get(BILLING).source()).isEqualTo(IpAddress.parse("198.51.100.0"));
    }

    private static Optional<io.meshgw.operator.plan.ConditionState> ready(
            io.meshgw.operator.plan.Plan state, ObjectKey identity) {
        return state.outcome(new ResourceRef("EgressIdentity", identity))
                .orElseThrow()
                .condition("Ready");
    }

    @Test
    void aTenantCannotRequestASourceAddressOfAPoolThatDoesNotAllowItsNamespace() {
        var intruder = egressIdentity("shop", "intruder", 1, null);
        intruder.getSpec().requestedSourceIp = "198.51.100.1";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPoolFor("pay-egress", List.of("pay"), "198.51.100.0/30")))
                .egressIdentities(List.of(intruder, egressIdentity("pay", "billing", 2, "pay-egress")))
                .build());
        var key = new ObjectKey("shop", "intruder");
        assertThat(state.egressRules()).doesNotContainKey(key);
        assertThat(ready(state, key).orElseThrow().reason()).isEqualTo("NamespaceNotAllowed");
        assertThat(ready(state, key).orElseThrow().message())
                .isEqualTo("EgressIpPool 'pay-egress' does not allow namespace 'shop'; the pool's"
                        + " spec.allowedNamespaces must list it");
        assertThat(state.egressRules().get(BILLING).source()).isEqualTo(IpAddress.parse("198.51.100.0"));
    }

    @Test
    void aTenantNamingAPoolThatDoesNotAllowItsNamespaceGetsNoAddress() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPoolFor("pay-egress", List.of("pay"), "198.51.100.0/30")))
                .egressIdentities(List.of(egressIdentity("shop", "intruder", 1, "pay-egress")))
                .build());
        var key = new ObjectKey("shop", "intruder");
        assertThat(state.egressRules()).isEmpty();
        assertThat(ready(state, key).orElseThrow().reason()).isEqualTo("NamespaceNotAllowed");
    }

    @Test
    void aPoolWithoutAllowedNamespacesServesNoNamespace() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(egressPoolFor("egress", List.of(), "198.51.100.0/30")))
                .egressIdentities(List.of(egressIdentity("pay", "billing", 1, null)))
                .build());
        assertThat(state.egressRules()).isEmpty();
        assertThat(ready(state, BILLING).orElseThrow().message())
                .isEqualTo("no ready EgressIpPool allows namespace 'pay': a pool lists the namespaces it serves in"
                        + " spec.allowedNamespaces");
    }

    @Test
    void anIdentityWithoutPoolRefIsServedOnlyByAPoolThatAllowsItsNamespace() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(
                        egressPoolFor("a-shop", List.of("shop"), "198.51.100.0/30"),
                        egressPoolFor("b-pay", List.of("pay", "batch"), "203.0.113.0/30")))
                .egressIdentities(List.of(egressIdentity("pay", "billing", 1, null)))
                .build());
        assertThat(state.egressRules().get(BILLING).source()).isEqualTo(IpAddress.parse("203.0.113.0"));
    }

    @Test
    void anAddressKeptInStatusIsReleasedWhenItsPoolNoLongerAllowsTheNamespace() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .egressPools(List.of(
                        egressPoolFor("pay-egress", List.of("pay"), "198.51.100.0/30"),
                        egressPoolFor("shop-egress", List.of("shop"), "203.0.113.0/30")))
                .egressIdentities(List.of(
                        withStatusSource(egressIdentity("shop", "intruder", 1, null), "198.51.100.0"),
                        egressIdentity("pay", "billing", 2, "pay-egress")))
                .build());
        assertThat(state.egressRules().get(new ObjectKey("shop", "intruder")).source())
                .isEqualTo(IpAddress.parse("203.0.113.0"));
        assertThat(state.egressRules().get(BILLING).source()).isEqualTo(IpAddress.parse("198.51.100.0"));
    }
}
