package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.policy.PolicyRoute;
import io.meshgw.bgp.policy.RoutePrefix;
import io.meshgw.bgp.speaker.BgpRole;
import io.meshgw.bgp.speaker.MaxPrefix;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.operator.crd.AddressFamily;
import io.meshgw.operator.crd.SessionRole;
import io.meshgw.operator.plan.Community;
import io.meshgw.operator.plan.LargeCommunity;
import io.meshgw.operator.plan.PeerConfig;
import io.meshgw.operator.plan.PolicyConfig;
import io.meshgw.operator.port.ObjectKey;
import io.meshgw.operator.port.PeerConfigs;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A session of the plan as the speaker's peer configuration, and a BgpPolicy as the speaker's policy. */
class SpeakerPeersTest {

    private static final long OUR_AS = 65000;

    @Test
    void everyFieldOfThePlanReachesTheSpeaker() {
        var plan = PeerConfigs.peer("tor1", "2001:db8::1")
                .localAsn(OUR_AS)
                .localAddress("2001:db8::10")
                .families(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)
                .timers(new PeerConfig.Timers(9, 3, 5, OptionalInt.of(60)))
                .password("s3cret")
                .gtsm(2)
                .gracefulRestart(120)
                .maxPrefix(
                        new PeerConfig.MaxPrefix(
                                AddressFamily.IPV4_UNICAST, 500, OptionalInt.of(80), OptionalInt.empty()),
                        new PeerConfig.MaxPrefix(
                                AddressFamily.IPV6_UNICAST, 100, OptionalInt.of(90), OptionalInt.of(15)))
                .pathAttributes(new PeerConfig.PathAttributes(Set.of(23), Set.of(8), Set.of(32)))
                .ipv6NextHop("2001:db8::fe")
                .extendedNextHop(true)
                .build();

        var speaker = SpeakerPeers.of(plan, OUR_AS);

        assertThat(speaker.name()).isEqualTo("net/tor1");
        assertThat(speaker.address()).isEqualTo(IpAddress.parse("2001:db8::1").toInetAddress());
        assertThat(speaker.peerAsn()).isEqualTo(65001);
        assertThat(speaker.localAddress())
                .contains(IpAddress.parse("2001:db8::10").toInetAddress());
        assertThat(speaker.families()).containsExactlyInAnyOrder(Afi.IPV4, Afi.IPV6);
        assertThat(speaker.timers().holdTime()).hasSeconds(9);
        assertThat(speaker.timers().keepalive()).hasSeconds(3);
        assertThat(speaker.timers().connectRetry()).hasSeconds(5);
        assertThat(speaker.timers().sendHoldTime()).contains(Duration.ofSeconds(60));
        assertThat(speaker.md5Password()).contains("s3cret");
        assertThat(speaker.gtsmHops()).hasValue(2);
        assertThat(speaker.gracefulRestartSeconds()).hasValue(120);
        assertThat(speaker.maxPrefix())
                .as("each family its own limit, not the tightest for the session")
                .containsOnly(
                        Map.entry(Afi.IPV4, MaxPrefix.of(500).withWarningPercent(80)),
                        Map.entry(Afi.IPV6, MaxPrefix.of(100).withRestartAfter(Duration.ofMinutes(15))));
        assertThat(speaker.attributeScreen().actions())
                .containsOnly(
                        Map.entry(23, AttributeScreen.Action.RELAY),
                        Map.entry(8, AttributeScreen.Action.DISCARD),
                        Map.entry(32, AttributeScreen.Action.TREAT_AS_WITHDRAW));
        assertThat(speaker.ipv6NextHop())
                .contains(IpAddress.parse("2001:db8::fe").toInetAddress());
        assertThat(speaker.extendedNextHop()).isTrue();
    }

    /** The operator's validation (which cannot see the speaker) and the speaker's screen refuse the same types. */
    @Test
    void theOperatorLetsNoPeerDropAnAttributeTheSpeakerRefusesToDrop() {
        assertThat(io.meshgw.operator.model.BgpPeerValidator.MANDATORY_ATTRIBUTES)
                .containsExactlyInAnyOrderElementsOf(AttributeScreen.MANDATORY);
    }

    @Test
    void multihopSetsTheTtlAndWithGtsmCountsTheHops() {
        var multihop = SpeakerPeers.of(
                PeerConfigs.peer("far", "192.0.2.9")
                        .localAsn(OUR_AS)
                        .multihop(3)
                        .build(),
                OUR_AS);
        assertThat(multihop.multihopTtl()).hasValue(3);
        assertThat(multihop.gtsmHops()).isEmpty();

        var gtsm = SpeakerPeers.of(
                PeerConfigs.peer("far", "192.0.2.9").localAsn(OUR_AS).gtsm(3).build(), OUR_AS);
        assertThat(gtsm.gtsmHops())
                .as("RFC 5082: sent with TTL 255, accepted from 253 on")
                .hasValue(3);
        assertThat(gtsm.multihopTtl()).isEmpty();
    }

    @Test
    void theRoleOfThePlanReachesTheSpeaker() {
        var speaker = SpeakerPeers.of(
                PeerConfigs.peer("tor1", "192.0.2.1")
                        .localAsn(OUR_AS)
                        .localRole(SessionRole.RS_CLIENT, true)
                        .build(),
                OUR_AS);

        assertThat(speaker.localRole()).contains(BgpRole.RS_CLIENT);
        assertThat(speaker.strictRole()).isTrue();
        assertThat(SpeakerPeers.of(peer(Optional.empty()), OUR_AS).localRole()).isEmpty();
    }

    @Test
    void aPeerWithoutAPrefixLimitGetsTheDefaultOneAndIsStartedAgainAfterIt() {
        var speaker = SpeakerPeers.of(peer(Optional.empty()), OUR_AS);
        assertThat(speaker.maxPrefix())
                .containsOnly(Map.entry(Afi.IPV4, MaxPrefix.of(100_000).withRestartAfter(Duration.ofMinutes(15))));
    }

    @Test
    void aFamilyWithoutItsOwnLimitGetsTheDefaultOneBesideTheOtherFamilysLimit() {
        var plan = PeerConfigs.peer("tor1", "192.0.2.1")
                .localAsn(OUR_AS)
                .families(AddressFamily.IPV4_UNICAST, AddressFamily.IPV6_UNICAST)
                .maxPrefix(new PeerConfig.MaxPrefix(
                        AddressFamily.IPV4_UNICAST, 2_000_000, OptionalInt.empty(), OptionalInt.empty()))
                .build();
        assertThat(SpeakerPeers.of(plan, OUR_AS).maxPrefix())
                .containsOnly(
                        Map.entry(Afi.IPV4, MaxPrefix.of(2_000_000)),
                        Map.entry(Afi.IPV6, MaxPrefix.of(100_000).withRestartAfter(Duration.ofMinutes(15))));
    }

    @Test
    void withoutAnExportPolicyOnlyWhatTheGatewayOriginatesIsAnnounced() {
        var export = SpeakerPeers.of(peer(Optional.empty()), OUR_AS).exportPolicy();

        assertThat(export.evaluate(originated("198.51.100.10/32", List.of(OUR_AS))))
                .isPresent();
        // a route learned from another AS carries that AS after ours: the gateway is no transit
        assertThat(export.evaluate(route("192.0.2.0/24", List.of(OUR_AS, 65001L))))
                .isEmpty();
        assertThat(export.evaluate(route("192.0.2.0/24", List.of(OUR_AS, 65001L, 65002L))))
                .isEmpty();
    }

    @Test
    void iBgpDefaultRouteIsNotExportedToEbgpByTheDefaultPolicy() {
        var export = SpeakerPeers.of(peer(Optional.empty()), OUR_AS).exportPolicy();

        // An iBGP router's own default route arrives with an empty AS_PATH; toward an eBGP peer the export policy sees
        // it with our AS prepended, exactly the path of a route we originate. Only its source tells them apart.
        assertThat(export.evaluate(route("0.0.0.0/0", List.of(OUR_AS)))).isEmpty();
        assertThat(export.evaluate(route("0.0.0.0/0", List.of()))).isEmpty();
    }

    @Test
    void aPolicyOfThePlanIsTheSpeakersFirstMatchPolicy() {
        var policy = new PolicyConfig(
                new ObjectKey("net", "in"),
                List.of(
                        new PolicyConfig.Statement(
                                "no-default",
                                new PolicyConfig.Match(
                                        List.of(new PolicyConfig.PrefixRule(IpPrefix.parse("0.0.0.0/0"), 0, 0)),
                                        List.of(),
                                        List.of(),
                                        Optional.empty()),
                                new PolicyConfig.Actions(
                                        false,
                                        OptionalLong.empty(),
                                        OptionalLong.empty(),
                                        List.of(),
                                        OptionalInt.empty())),
                        new PolicyConfig.Statement(
                                "tagged",
                                new PolicyConfig.Match(
                                        List.of(new PolicyConfig.PrefixRule(IpPrefix.parse("10.0.0.0/8"), 8, 24)),
                                        List.of(Community.parse("65001:7")),
                                        List.of(new LargeCommunity(65001, 1, 2)),
                                        Optional.of("^65000_65001$")),
                                new PolicyConfig.Actions(
                                        true,
                                        OptionalLong.of(200),
                                        OptionalLong.of(5),
                                        List.of(Community.parse("65000:9")),
                                        OptionalInt.of(2)))));
        var speaker = PolicyTranslation.of(policy, OUR_AS);

        assertThat(speaker.evaluate(route("0.0.0.0/0", List.of(OUR_AS, 65001L))))
                .isEmpty();
        var tagged = new PolicyRoute(
                RoutePrefix.parse("10.1.0.0/16"),
                List.of(OUR_AS, 65001L),
                Set.of(65001L << 16 | 7),
                Set.of(new PolicyRoute.LargeCommunity(65001, 1, 2)),
                OptionalLong.empty(),
                OptionalLong.empty());
        var accepted = speaker.evaluate(tagged).orElseThrow();
        assertThat(accepted.localPref()).hasValue(200);
        assertThat(accepted.med()).hasValue(5);
        assertThat(accepted.communities()).contains(65000L << 16 | 9);
        assertThat(accepted.asPath()).startsWith(OUR_AS, OUR_AS);
        assertThat(speaker.evaluate(route("10.1.0.0/25", List.of(OUR_AS, 65001L))))
                .as("longer than le 24, and untagged: no statement matches, so rejected")
                .isEmpty();
    }

    @Test
    void aPeerOfAnotherLocalAsIsRefusedWithTheKeyToFix() {
        var plan = peer(Optional.empty());
        assertThatThrownBy(() -> SpeakerPeers.of(plan, 64512))
                .hasMessageContaining("local ASN 65000")
                .hasMessageContaining("meshgw.bgp.local-asn");
    }

    private static PeerConfig peer(Optional<PolicyConfig> export) {
        return PeerConfigs.peer("tor1", "192.0.2.1")
                .localAsn(OUR_AS)
                .exportPolicy(export)
                .build();
    }

    private static PolicyRoute originated(String prefix, List<Long> path) {
        return new PolicyRoute(
                RoutePrefix.parse(prefix), path, Set.of(), Set.of(), OptionalLong.empty(), OptionalLong.empty(), true);
    }

    private static PolicyRoute route(String prefix, List<Long> path) {
        return new PolicyRoute(
                RoutePrefix.parse(prefix), path, Set.of(), Set.of(), OptionalLong.empty(), OptionalLong.empty());
    }
}
