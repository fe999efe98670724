package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerConfigTest {

    private static final InetAddress ADDR = InetAddress.ofLiteral("192.0.2.2");

    @Test
    void theDefaultsAreSafe() {
        PeerConfig c = PeerConfig.builder("dc", ADDR, 65010).build();
        assertThat(c.port()).isEqualTo(179);
        assertThat(c.passive()).isFalse();
        assertThat(c.timers()).isEqualTo(FsmTimers.defaults());
        assertThat(c.md5Password()).isEmpty();
        assertThat(c.gtsmHops()).isEmpty();
        assertThat(c.families()).containsExactly(Afi.IPV4);
        assertThat(c.gracefulRestartSeconds()).isEmpty();
        assertThat(c.maxPrefix()).isEmpty();
        assertThat(c.importPolicy()).isEqualTo(Policy.acceptAll());
        assertThat(c.exportPolicy())
                .as("RFC 8212: nothing out unless configured")
                .isEqualTo(Policy.rejectAll());
        assertThat(c.ipv6NextHop()).isEmpty();
        assertThat(c.localAddress()).isEmpty();
        assertThat(c.keepPrePolicy()).isFalse();
    }

    @Test
    void everySettingReachesTheConfigAndBackThroughToBuilder() {
        PeerConfig c = PeerConfig.builder("dc", ADDR, 65010)
                .port(1179)
                .passive(true)
                .md5Password("pw")
                .gtsmHops(2)
                .families(Set.of(Afi.IPV6))
                .gracefulRestartSeconds(90)
                .maxPrefixes(100)
                .maxPrefixWarningPercent(75)
                .importPolicy(Policy.rejectAll())
                .exportPolicy(Policy.acceptAll())
                .ipv6NextHop(InetAddress.ofLiteral("2001:db8::1"))
                .localAddress(InetAddress.ofLiteral("192.0.2.1"))
                .keepPrePolicy(true)
                .build();
        assertThat(c.port()).isEqualTo(1179);
        assertThat(c.passive()).isTrue();
        assertThat(c.md5Password()).hasValue("pw");
        assertThat(c.gtsmHops()).hasValue(2);
        assertThat(c.families()).containsExactly(Afi.IPV6);
        assertThat(c.gracefulRestartSeconds()).hasValue(90);
        assertThat(c.maxPrefix())
                .as("the session-wide limit, for each family")
                .containsExactly(Map.entry(Afi.IPV6, new MaxPrefix(100, 75, Optional.empty())));
        assertThat(c.importPolicy()).isEqualTo(Policy.rejectAll());
        assertThat(c.exportPolicy()).isEqualTo(Policy.acceptAll());
        assertThat(c.ipv6NextHop()).hasValue(InetAddress.ofLiteral("2001:db8::1"));
        assertThat(c.localAddress()).hasValue(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(c.keepPrePolicy()).isTrue();

        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.toBuilder().port(2179).build().port()).isEqualTo(2179);
    }

    @Test
    void badSettingsNameThePeer() {
        assertThatThrownBy(() -> PeerConfig.builder(" ", ADDR, 65010).build()).hasMessage("a peer needs a name");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 23456).build())
                .hasMessageContaining("peer dc: peerAsn 23456");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 0).build()).hasMessageContaining("peerAsn 0");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 0x1_0000_0000L).build())
                .hasMessageContaining("is not a usable AS number");
        assertThatThrownBy(() ->
                        PeerConfig.builder("dc", ADDR, 65010).families(Set.of()).build())
                .hasMessageContaining("at least one address family");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 65010)
                        .maxPrefixWarningPercent(0)
                        .build())
                .hasMessageContaining("1..100, was 0");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 65010)
                        .maxPrefixWarningPercent(101)
                        .build())
                .hasMessageContaining("1..100, was 101");
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 65010).port(0).build())
                .hasMessageContaining("port 0 is outside 1..65535");
        assertThatThrownBy(
                        () -> PeerConfig.builder("dc", ADDR, 65010).port(65536).build())
                .hasMessageContaining("port 65536");
        assertThat(PeerConfig.builder("dc", ADDR, 0xFFFFFFFFL)
                        .port(65535)
                        .build()
                        .peerAsn())
                .isEqualTo(0xFFFFFFFFL);
        assertThat(PeerConfig.builder("dc", ADDR, 1)
                        .port(1)
                        .maxPrefixWarningPercent(1)
                        .build()
                        .peerAsn())
                .isEqualTo(1);
        assertThat(PeerConfig.builder("dc", ADDR, 65010)
                        .maxPrefixes(10)
                        .maxPrefixWarningPercent(100)
                        .build()
                        .maxPrefix()
                        .get(Afi.IPV4)
                        .warningPercent())
                .isEqualTo(100);
    }

    @Test
    void gtsmWithMoreHopsThanTtl255AllowsIsRefusedWithAClearError() {
        assertThatThrownBy(() ->
                        PeerConfig.builder("dc", ADDR, 65010).gtsmHops(255).build())
                .hasMessage("peer dc: gtsmHops 255 is outside 1..254 (GTSM accepts TTL 256 - hops, and TTL 1 is no"
                        + " protection)");
        assertThatThrownBy(
                        () -> PeerConfig.builder("dc", ADDR, 65010).gtsmHops(0).build())
                .hasMessageContaining("gtsmHops 0 is outside 1..254");
        assertThat(PeerConfig.builder("dc", ADDR, 65010).gtsmHops(254).build().gtsmHops())
                .hasValue(254);
    }

    @Test
    void gtsmWithAnotherMultihopTtlIsRefusedAsAContradiction() {
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 65010)
                        .gtsmHops(2)
                        .multihopTtl(255)
                        .build())
                .hasMessageContaining("gtsmHops 2 and multihopTtl 255 contradict each other");
        assertThatThrownBy(() ->
                        PeerConfig.builder("dc", ADDR, 65010).multihopTtl(256).build())
                .hasMessageContaining("multihopTtl 256 is outside 1..255");
        PeerConfig both =
                PeerConfig.builder("dc", ADDR, 65010).gtsmHops(3).multihopTtl(3).build();
        assertThat(both.toBuilder().build()).isEqualTo(both);
    }

    @Test
    void aSessionWideLimitIsOneLimitPerFamilyAndAFamilysOwnLimitWins() {
        PeerConfig c = PeerConfig.builder("dc", ADDR, 65010)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .maxPrefixes(1000)
                .maxPrefixRestart(Duration.ofMinutes(5))
                .maxPrefix(Afi.IPV6, MaxPrefix.of(50))
                .build();
        assertThat(c.maxPrefix())
                .containsOnly(
                        Map.entry(Afi.IPV4, MaxPrefix.of(1000).withRestartAfter(Duration.ofMinutes(5))),
                        Map.entry(Afi.IPV6, MaxPrefix.of(50)));
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }

    @Test
    void aLimitForAFamilyTheSessionDoesNotCarryIsRefused() {
        assertThatThrownBy(() -> PeerConfig.builder("dc", ADDR, 65010)
                        .maxPrefix(Afi.IPV6, MaxPrefix.of(10))
                        .build())
                .hasMessage("peer dc: a prefix limit for IPV6, a family the session does not carry ([IPV4])");
        assertThatThrownBy(() -> MaxPrefix.of(0)).hasMessage("a prefix limit must be at least 1, was 0");
        assertThatThrownBy(() ->
                        PeerConfig.builder("dc", ADDR, 65010).maxPrefixes(0).build())
                .hasMessage("peer dc: maxPrefixes must be at least 1, was 0");
    }
}
