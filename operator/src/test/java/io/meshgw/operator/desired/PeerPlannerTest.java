package io.meshgw.operator.desired;

import static io.meshgw.operator.desired.Fixtures.acceptPolicy;
import static io.meshgw.operator.desired.Fixtures.peer;
import static io.meshgw.operator.desired.Fixtures.secret;
import static io.meshgw.operator.desired.Fixtures.withPassword;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.BgpPeer;
import io.meshgw.operator.crd.BgpPeerSpec;
import io.meshgw.operator.crd.NodeSelector;
import io.meshgw.operator.crd.SessionRole;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.ConditionState;
import io.meshgw.operator.plan.GatewayNode;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.operator.plan.StatusFields;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerSession;
import io.meshgw.operator.port.ResourceRef;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PeerPlannerTest {
    static final ObjectKey TOR = new ObjectKey("net", "tor1");
    static final ResourceRef TOR_REF = new ResourceRef("BgpPeer", TOR);

    @Test
    void aValidPeerIsConfiguredWithItsPasswordAndPolicies() {
        var peer = withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password");
        peer.getSpec().importPolicy = "in";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer))
                .policies(List.of(acceptPolicy("net", "in", "10.0.0.0/8")))
                .secrets(List.of(secret("net", "md5", "password", "s3cret")))
                .build());

        var config = state.peers().get(TOR);
        assertThat(config.peerAddress()).isEqualTo(IpAddress.parse("192.0.2.1"));
        assertThat(config.tcpMd5Password()).contains("s3cret");
        assertThat(config.toString()).doesNotContain("s3cret");
        assertThat(config.families()).containsExactly(AddressFamily.IPV4_UNICAST);
        assertThat(config.importPolicy()
                        .orElseThrow()
                        .statements()
                        .getFirst()
                        .match()
                        .prefixes())
                .containsExactly(new PolicyConfig.PrefixRule(IpPrefix.parse("10.0.0.0/8"), 24, 32));
        assertThat(config.exportPolicy()).isEmpty();
        assertThat(config.timers()).isEqualTo(PeerConfig.Timers.DEFAULTS);
        var outcome = state.outcome(TOR_REF).orElseThrow();
        assertThat(outcome.ready()).isTrue();
        assertThat(outcome.condition("Degraded").orElseThrow().reason()).isEqualTo("SessionNotStarted");
    }

    @Test
    void theRoleAndStrictModeReachThePlanAndNoRoleIsNone() {
        var withRole = peer("net", "tor1", 1, "192.0.2.1", 65000);
        withRole.getSpec().localRole = SessionRole.CUSTOMER;
        withRole.getSpec().strictRole = true;
        var config = Planner.plan(
                        Snapshot.builder(Fixtures.EAST).peers(List.of(withRole)).build())
                .peers()
                .get(TOR);
        assertThat(config.localRole()).contains(SessionRole.CUSTOMER);
        assertThat(config.strictRole()).isTrue();

        var without = Planner.plan(Snapshot.builder(Fixtures.EAST)
                        .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000)))
                        .build())
                .peers()
                .get(TOR);
        assertThat(without.localRole()).isEmpty();
        assertThat(without.strictRole()).isFalse();
    }

    @Test
    void anEstablishedSessionIsNotDegradedAndFillsTheStatus() {
        var session = new PeerSession(
                PeerSession.State.Established,
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                12,
                10,
                3,
                Optional.empty());
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000)))
                .sessions(Map.of(TOR, session))
                .build());
        var outcome = state.outcome(TOR_REF).orElseThrow();
        assertThat(outcome.condition("Degraded").orElseThrow().status()).isEqualTo("False");
        assertThat(outcome.fields()).isEqualTo(new StatusFields.Peer(Optional.of(session)));
    }

    @Test
    void anEstablishedSessionWithoutANextHopForAFamilyIsDegradedAndSaysWhy() {
        var session = new PeerSession(
                PeerSession.State.Established,
                Optional.of(Instant.parse("2026-01-01T00:00:00Z")),
                12,
                10,
                3,
                Optional.empty(),
                List.of(),
                Map.of(),
                Map.of(io.meshgw.operator.crd.AddressFamily.IPV6_UNICAST, "no global IPv6 next hop"));
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000)))
                .sessions(Map.of(TOR, session))
                .build());
        var degraded =
                state.outcome(TOR_REF).orElseThrow().condition("Degraded").orElseThrow();
        assertThat(degraded.status()).isEqualTo("True");
        assertThat(degraded.reason()).isEqualTo("NoNextHop");
        assertThat(degraded.message()).contains("ipv6-unicast (no global IPv6 next hop)");
    }

    @Test
    void aMissingPasswordSecretLeavesThePeerUnapplied() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password")))
                .build());
        assertThat(state.peers()).isEmpty();
        var ready = state.outcome(TOR_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.status()).isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("Invalid");
        assertThat(ready.message()).isEqualTo("spec.passwordSecretRef.name: Secret 'md5' does not exist");
    }

    @Test
    void aSecretWithoutTheKeyIsReported() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(withPassword(peer("net", "tor1", 1, "192.0.2.1", 65000), "md5", "password")))
                .secrets(List.of(secret("net", "md5", "other", "x")))
                .build());
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("has no key 'password'");
    }

    @Test
    void anAsnOutOfRangeOrAsTransIsInvalid() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 23456), peer("net", "tor2", 2, "192.0.2.2", 0)))
                .build());
        assertThat(state.peers()).isEmpty();
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("AS_TRANS");
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "tor2")))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .contains("is not a valid ASN");
    }

    @Test
    void aMissingPolicyIsReported() {
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        peer.getSpec().exportPolicy = "out";
        var state = Planner.plan(
                Snapshot.builder(Fixtures.EAST).peers(List.of(peer)).build());
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.exportPolicy: BgpPolicy 'out' does not exist");
    }

    static NodeSelector rack(String rack) {
        var s = new NodeSelector();
        s.matchLabels = Map.of("topology.example.com/rack", rack);
        return s;
    }

    static Snapshot onNode(String rack, BgpPeer... peers) {
        return Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peers))
                .node(new GatewayNode("node-" + rack, Map.of("topology.example.com/rack", rack)))
                .build();
    }

    @Test
    void aNodeRunsTheSessionsOfThePeersItsLabelsSelectAndSaysSoOfTheOthers() {
        var a = peer("net", "tor1", 1, "192.0.2.1", 65000);
        a.getSpec().nodeSelector = rack("r1");
        var everywhere = peer("net", "core", 2, "192.0.2.9", 65000);

        var onR1 = Planner.plan(onNode("r1", a, everywhere));
        assertThat(onR1.peers()).containsOnlyKeys(TOR, new ObjectKey("net", "core"));

        var onR2 = Planner.plan(onNode("r2", a, everywhere));
        assertThat(onR2.peers()).containsOnlyKeys(new ObjectKey("net", "core"));
        var ready = onR2.outcome(TOR_REF).orElseThrow().condition("Ready").orElseThrow();
        assertThat(ready.status())
                .as("no node reports a session: the planning node's not selecting it proves nothing")
                .isEqualTo("False");
        assertThat(ready.reason()).isEqualTo("NoSession");

        assertThat(Planner.plan(Snapshot.builder(Fixtures.EAST)
                                .peers(List.of(a))
                                .build())
                        .peers())
                .as("standalone: no node, every peer runs")
                .containsOnlyKeys(TOR);
    }

    @Test
    void twoPeersToTheSameAddressForDisjointNodesAreNotDuplicates() {
        // Every rack's top-of-rack router answers at the same address; each rack's nodes peer with their own.
        var r1 = peer("net", "tor1", 1, "192.0.2.1", 65000);
        r1.getSpec().nodeSelector = rack("r1");
        var r2 = peer("net", "tor-r2", 2, "192.0.2.1", 65002);
        r2.getSpec().nodeSelector = rack("r2");

        assertThat(Planner.plan(onNode("r1", r1, r2)).peers()).containsOnlyKeys(TOR);
        var onR2 = Planner.plan(onNode("r2", r1, r2));
        assertThat(onR2.peers()).containsOnlyKeys(new ObjectKey("net", "tor-r2"));
        assertThat(onR2.peers().get(new ObjectKey("net", "tor-r2")).peerAsn()).isEqualTo(65002);
    }

    @Test
    void aNodeSelectorWithABadRequirementIsInvalidAndNamesIt() {
        var a = peer("net", "tor1", 1, "192.0.2.1", 65000);
        var in = new NodeSelector.Requirement();
        in.key = "topology.example.com/rack";
        in.operator = "In";
        a.getSpec().nodeSelector = new NodeSelector();
        a.getSpec().nodeSelector.matchExpressions = List.of(in);
        var state = Planner.plan(onNode("r1", a));
        assertThat(state.peers()).isEmpty();
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.nodeSelector.matchExpressions[0].values: must not be empty for In");
    }

    @Test
    void theYoungerOfTwoPeersToTheSameAddressIsRejected() {
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000), peer("net", "dup", 2, "192.0.2.1", 65000)))
                .build());
        assertThat(state.peers()).containsOnlyKeys(TOR);
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "dup")))
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .reason())
                .isEqualTo("DuplicatePeer");
    }

    @Test
    void anInvalidPolicyIsReportedOnItselfAndOnItsPeer() {
        var policy = acceptPolicy("net", "in", "10.0.0.1/8");
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        peer.getSpec().importPolicy = "in";
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer))
                .policies(List.of(policy))
                .build());
        assertThat(state.outcome(new ResourceRef("BgpPolicy", new ObjectKey("net", "in")))
                        .orElseThrow()
                        .ready())
                .isFalse();
        assertThat(state.outcome(TOR_REF)
                        .orElseThrow()
                        .condition("Ready")
                        .orElseThrow()
                        .message())
                .isEqualTo("spec.importPolicy: BgpPolicy 'in' is not valid");
    }

    @Test
    void timersFillInRfc4271DefaultsAndAKeepaliveAThirdOfTheHoldTime() {
        assertThat(PeerPlanner.timers(null)).isEqualTo(new PeerConfig.Timers(90, 30, 120));
        assertThat(PeerPlanner.timers(timers(null, null, null))).isEqualTo(new PeerConfig.Timers(90, 30, 120));
        assertThat(PeerPlanner.timers(timers(9, null, null))).isEqualTo(new PeerConfig.Timers(9, 3, 120));
        assertThat(PeerPlanner.timers(timers(240, 20, 5))).isEqualTo(new PeerConfig.Timers(240, 20, 5));
        assertThat(PeerPlanner.timers(timers(null, 10, null))).isEqualTo(new PeerConfig.Timers(90, 10, 120));
        // RFC 4271 §4.2: a hold time of zero means no keepalives at all.
        assertThat(PeerPlanner.timers(timers(0, 30, null))).isEqualTo(new PeerConfig.Timers(0, 0, 120));
        var withSendHold = timers(9, null, null);
        withSendHold.sendHoldTimeSeconds = 30;
        assertThat(PeerPlanner.timers(withSendHold))
                .as("RFC 9687 send hold time")
                .isEqualTo(new PeerConfig.Timers(9, 3, 120, OptionalInt.of(30)));
    }

    static BgpPeerSpec.Timers timers(Integer hold, Integer keepalive, Integer connectRetry) {
        var timers = new BgpPeerSpec.Timers();
        timers.holdTimeSeconds = hold;
        timers.keepaliveSeconds = keepalive;
        timers.connectRetrySeconds = connectRetry;
        return timers;
    }

    @Test
    void optionalSessionFeaturesResolveToTheirDefaultsWhenEnabled() {
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        var spec = peer.getSpec();
        spec.peerAddress = "2001:db8::1";
        spec.localAddress = "2001:DB8::10";
        spec.families = List.of(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);
        spec.multihop = new BgpPeerSpec.Multihop();
        spec.multihop.enabled = true;
        spec.gracefulRestart = new BgpPeerSpec.GracefulRestart();
        spec.gracefulRestart.enabled = true;
        var limit = new BgpPeerSpec.MaxPrefix();
        limit.family = AddressFamily.IPV6_UNICAST;
        limit.limit = 500L;
        limit.restartAfterMinutes = 5;
        spec.maxPrefix.add(limit);
        var config = Planner.plan(
                        Snapshot.builder(Fixtures.EAST).peers(List.of(peer)).build())
                .peers()
                .get(TOR);

        assertThat(config.localAddress()).contains(IpAddress.parse("2001:db8::10"));
        assertThat(config.families()).containsExactlyInAnyOrder(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST);
        assertThat(config.multihopTtl()).hasValue(PeerPlanner.DEFAULT_MULTIHOP_TTL);
        assertThat(config.gracefulRestartSeconds()).hasValue(PeerPlanner.DEFAULT_RESTART_SECONDS);
        assertThat(config.gtsm()).isFalse();
        assertThat(config.maxPrefix())
                .containsExactly(new PeerConfig.MaxPrefix(
                        AddressFamily.IPV6_UNICAST, 500, OptionalInt.empty(), OptionalInt.of(5)));

        spec.multihop.ttl = 3;
        spec.gtsm = true; // GTSM with multihop needs the hop count
        spec.gracefulRestart.restartTimeSeconds = 60;
        spec.multihop.enabled = true;
        var explicit = Planner.plan(
                        Snapshot.builder(Fixtures.EAST).peers(List.of(peer)).build())
                .peers()
                .get(TOR);
        assertThat(explicit.multihopTtl()).hasValue(3);
        assertThat(explicit.gtsm()).isTrue();
        assertThat(explicit.gracefulRestartSeconds()).hasValue(60);

        spec.multihop.enabled = false;
        spec.gracefulRestart.enabled = false;
        var off = Planner.plan(
                        Snapshot.builder(Fixtures.EAST).peers(List.of(peer)).build())
                .peers()
                .get(TOR);
        assertThat(off.multihopTtl()).isEmpty();
        assertThat(off.gracefulRestartSeconds()).isEmpty();
    }

    @Test
    void twoPeersToOneRouterFromTwoLocalAddressesAreADuplicate() {
        // The speaker matches a connection to its neighbor by the peer's address alone: one session per address.
        var first = peer("net", "tor1", 1, "192.0.2.1", 65000);
        first.getSpec().localAddress = "192.0.2.10";
        var second = peer("net", "dup", 2, "192.0.2.1", 65000);
        second.getSpec().localAddress = "192.0.2.11";
        var state = Planner.plan(
                Snapshot.builder(Fixtures.EAST).peers(List.of(first, second)).build());
        assertThat(state.peers()).containsOnlyKeys(TOR);
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "dup")))
                        .orElseThrow()
                        .reason())
                .isEqualTo("DuplicatePeer");
    }

    @Test
    void theSameSessionWrittenDifferentlyIsStillADuplicate() {
        var first = peer("net", "tor1", 1, "2001:db8::1", 65000);
        var second = peer("net", "dup", 2, "2001:DB8:0::1", 65000);
        var state = Planner.plan(
                Snapshot.builder(Fixtures.EAST).peers(List.of(first, second)).build());
        assertThat(state.peers()).containsOnlyKeys(TOR);
        assertThat(state.outcome(new ResourceRef("BgpPeer", new ObjectKey("net", "dup")))
                        .orElseThrow()
                        .message())
                .isEqualTo("BgpPeer net/tor1 already configures a session to 2001:db8::1");
    }

    @Test
    void aSessionThatIsDownSaysWhy() {
        var session = new PeerSession(PeerSession.State.Active, Optional.empty(), 0, 0, 0, Optional.of("refused"));
        var state = Planner.plan(Snapshot.builder(Fixtures.EAST)
                .peers(List.of(peer("net", "tor1", 1, "192.0.2.1", 65000)))
                .sessions(Map.of(TOR, session))
                .build());
        assertThat(state.outcome(TOR_REF).orElseThrow().condition("Degraded").orElseThrow())
                .isEqualTo(ConditionState.degraded(true, "SessionDown", "session is Active: refused"));
    }

    @Test
    void policyActionsAndMatchesReachTheSpeakerTyped() {
        var policy = acceptPolicy("net", "in", "10.0.0.0/8");
        var statement = policy.getSpec().statements.getFirst();
        statement.match.communities.add("65000:7");
        statement.match.largeCommunities.add("65000:1:2");
        statement.match.asPathRegex = "^65001";
        statement.actions.setLocalPref = 200L;
        statement.actions.setMed = 5L;
        statement.actions.prependAs = 2;
        statement.actions.addCommunities.add("65000:9");
        var none = new io.meshgw.operator.crd.BgpPolicySpec.Statement();
        none.actions = new io.meshgw.operator.crd.BgpPolicySpec.Actions();
        none.actions.result = io.meshgw.operator.crd.BgpPolicySpec.Result.REJECT;
        policy.getSpec().statements.add(none);
        var peer = peer("net", "tor1", 1, "192.0.2.1", 65000);
        peer.getSpec().exportPolicy = "in";
        var config = Planner.plan(Snapshot.builder(Fixtures.EAST)
                        .peers(List.of(peer))
                        .policies(List.of(policy))
                        .build())
                .peers()
                .get(TOR)
                .exportPolicy()
                .orElseThrow();

        var first = config.statements().getFirst();
        assertThat(first.match().communities()).containsExactly(Community.parse("65000:7"));
        assertThat(first.match().largeCommunities()).containsExactly(new LargeCommunity(65000, 1, 2));
        assertThat(first.match().asPathRegex()).contains("^65001");
        assertThat(first.actions())
                .isEqualTo(new PolicyConfig.Actions(
                        true,
                        OptionalLong.of(200),
                        OptionalLong.of(5),
                        List.of(Community.parse("65000:9")),
                        OptionalInt.of(2)));
        var second = config.statements().get(1);
        assertThat(second.match()).isEqualTo(PolicyConfig.Match.ANY);
        assertThat(second.actions())
                .isEqualTo(new PolicyConfig.Actions(
                        false, OptionalLong.empty(), OptionalLong.empty(), List.of(), OptionalInt.empty()));
    }
}
