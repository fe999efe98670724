package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The OPEN exchange: what we send, what we accept, and what both sides settle on. */
class NegotiatedSessionTest {

    private static final SpeakerConfig LOCAL = new SpeakerConfig(65000, SpeakerConfig.routerId("192.0.2.1"), null, 179);

    private static PeerConfig.Builder peer(long asn) {
        return PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), asn);
    }

    private static Open open(long asn, long id, Capability... caps) {
        return new Open(asn > 0xFFFF ? Open.AS_TRANS : (int) asn, 90, id, List.of(caps));
    }

    @Test
    void aPeerWithoutMultiprotocolCapabilityCarriesIpv4Only() {
        var both = peer(65010).families(Set.of(Afi.IPV4, Afi.IPV6)).build();
        var n = NegotiatedSession.of(open(65010, 2), both, LOCAL);
        assertThat(n.families()).as("RFC 4760 §8").containsExactly(Afi.IPV4);

        var v6only = peer(65010).families(Set.of(Afi.IPV6)).build();
        assertThat(NegotiatedSession.of(open(65010, 2), v6only, LOCAL).families())
                .isEmpty();
    }

    @Test
    void familiesAreThoseBothSidesCarryInAFixedOrder() {
        var both = peer(65010).families(Set.of(Afi.IPV6, Afi.IPV4)).build();
        var onlyV6 = open(65010, 2, new Capability.MultiProtocol(2, 1));
        assertThat(NegotiatedSession.of(onlyV6, both, LOCAL).families()).containsExactly(Afi.IPV6);

        var bothCaps = open(65010, 2, new Capability.MultiProtocol(2, 1), new Capability.MultiProtocol(1, 1));
        assertThat(NegotiatedSession.of(bothCaps, both, LOCAL).families()).containsExactly(Afi.IPV4, Afi.IPV6);

        var multicast = open(65010, 2, new Capability.MultiProtocol(1, 2));
        assertThat(NegotiatedSession.of(multicast, both, LOCAL).families())
                .as("IPv4 multicast is not IPv4 unicast")
                .isEmpty();
    }

    @Test
    void theWireFormatFollowsThePeersCapabilities() {
        var config = peer(65010).build();
        var plain = NegotiatedSession.of(open(65010, 2), config, LOCAL);
        assertThat(plain.options().fourOctetAs()).isFalse();
        assertThat(plain.options().extendedMessages()).isFalse();
        assertThat(plain.options().ebgp()).isTrue();

        var modern = NegotiatedSession.of(
                open(65010, 2, new Capability.FourOctetAs(65010), new Capability.ExtendedMessage()), config, LOCAL);
        assertThat(modern.options().fourOctetAs()).isTrue();
        assertThat(modern.options().extendedMessages()).isTrue();

        var internal = NegotiatedSession.of(open(65000, 2), peer(65000).build(), LOCAL);
        assertThat(internal.options().ebgp()).isFalse();
    }

    @Test
    void theRestartTimeAndIdentifierComeFromThePeersOpen() {
        var config = peer(65010).build();
        var gr = NegotiatedSession.of(
                open(65010, 0x0A000002L, new Capability.GracefulRestart(false, 77, List.of())), config, LOCAL);
        assertThat(gr.restartTimeSeconds()).isEqualTo(77);
        assertThat(gr.routerId()).isEqualTo(0x0A000002L);
        assertThat(NegotiatedSession.of(open(65010, 2), config, LOCAL).restartTimeSeconds())
                .isZero();
    }

    @Test
    void anotherAsThanConfiguredIsBadPeerAsWithTheAsFieldAsData() {
        var refusal = NegotiatedSession.refusal(open(65011, 2), peer(65010).build(), LOCAL)
                .orElseThrow();
        assertThat(refusal.subcode()).isEqualTo(Notification.OPEN_BAD_PEER_AS);
        assertThat(refusal.data()).containsExactly(0xFD, 0xF3);
        assertThat(refusal.why()).isEqualTo("peer AS 65011 but 65010 is configured");

        var fourOctet = open(4200000010L, 2, new Capability.FourOctetAs(4200000010L));
        assertThat(NegotiatedSession.refusal(fourOctet, peer(4200000010L).build(), LOCAL))
                .as("the real AS is in the capability")
                .isEmpty();
    }

    @Test
    void anInternalPeerWithOurIdentifierIsRefusedAnExternalOneIsNot() {
        long ours = LOCAL.routerId();
        var refusal = NegotiatedSession.refusal(open(65000, ours), peer(65000).build(), LOCAL)
                .orElseThrow();
        assertThat(refusal.subcode()).isEqualTo(Notification.OPEN_BAD_BGP_IDENTIFIER);
        assertThat(refusal.data()).isEmpty();
        assertThat(NegotiatedSession.refusal(open(65010, ours), peer(65010).build(), LOCAL))
                .isEmpty();
        assertThat(NegotiatedSession.refusal(open(65000, ours + 1), peer(65000).build(), LOCAL))
                .isEmpty();
    }

    @Test
    void extendedNextHopIsNegotiatedOnlyWhenBothSidesAnnounceIt() {
        var entry = new Capability.ExtendedNextHop(List.of(Capability.ExtendedNextHop.IPV4_UNICAST_OVER_IPV6));
        var wanting = peer(65010).extendedNextHop(true).build();
        assertThat(LocalOpen.of(LOCAL, wanting).capabilities()).contains(entry);
        assertThat(LocalOpen.of(LOCAL, peer(65010).build()).capabilities())
                .noneMatch(c -> c instanceof Capability.ExtendedNextHop);

        assertThat(NegotiatedSession.of(open(65010, 2, entry), wanting, LOCAL)
                        .options()
                        .extendedNextHop())
                .isTrue();
        assertThat(NegotiatedSession.of(open(65010, 2, entry), peer(65010).build(), LOCAL)
                        .options()
                        .extendedNextHop())
                .as("the neighbor's offer alone")
                .isFalse();
    }

    @Test
    void aPeerWithoutExtendedNextHopIsRefusedWhenItIsRequired() {
        var wanting = peer(65010).extendedNextHop(true).build();
        var refusal = NegotiatedSession.refusal(open(65010, 2), wanting, LOCAL).orElseThrow();
        assertThat(refusal.subcode()).isEqualTo(Notification.OPEN_UNSUPPORTED_CAPABILITY);
        assertThat(refusal.data()).as("RFC 5492 §3: the capability we miss").containsExactly(5, 6, 0, 1, 0, 1, 0, 2);
        assertThat(refusal.why()).contains("RFC 8950");
        var otherFamily = new Capability.ExtendedNextHop(List.of(new Capability.ExtendedNextHop.Entry(2, 1, 1)));
        assertThat(NegotiatedSession.refusal(open(65010, 2, otherFamily), wanting, LOCAL))
                .as("IPv6 over IPv4 next hops is not what we need")
                .isPresent();
        assertThat(NegotiatedSession.refusal(open(65010, 2), peer(65010).build(), LOCAL))
                .isEmpty();
    }

    @Test
    void ourOpenOffersOurFamiliesAndCapabilities() {
        var config = peer(65010)
                .families(Set.of(Afi.IPV6, Afi.IPV4))
                .timers(new FsmTimers(
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(45),
                        Duration.ofSeconds(15),
                        Duration.ofMinutes(4),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(2)))
                .build();
        Open o = LocalOpen.of(LOCAL, config);
        assertThat(o.myAs()).isEqualTo(65000);
        assertThat(o.asn()).isEqualTo(65000);
        assertThat(o.holdTime()).isEqualTo(45);
        assertThat(o.bgpId()).isEqualTo(LOCAL.routerId());
        assertThat(o.capabilities())
                .containsExactly(
                        new Capability.MultiProtocol(1, 1),
                        new Capability.MultiProtocol(2, 1),
                        new Capability.RouteRefreshCapability(),
                        new Capability.ExtendedMessage(),
                        new Capability.FourOctetAs(65000));
    }

    @Test
    void aFourOctetAsGoesAsAsTransAndGracefulRestartListsTheFamilies() {
        var local = new SpeakerConfig(4200000001L, SpeakerConfig.routerId("192.0.2.1"), null, 179);
        Open o = LocalOpen.of(local, peer(65010).gracefulRestartSeconds(120).build());
        assertThat(o.myAs()).as("RFC 6793 §4.1").isEqualTo(Open.AS_TRANS);
        assertThat(o.asn()).isEqualTo(4200000001L);
        var gr = o.capability(Capability.GracefulRestart.class).orElseThrow();
        assertThat(gr.restartTimeSeconds()).isEqualTo(120);
        assertThat(gr.restarting()).isFalse();
        assertThat(gr.families()).containsExactly(new Capability.GracefulRestart.Family(1, 1, true));
        assertThat(LocalOpen.of(local, peer(65010).build()).capability(Capability.GracefulRestart.class))
                .isEmpty();
    }

    @Test
    void theLargestTwoOctetAsStillFitsMyAs() {
        var local = new SpeakerConfig(65535, SpeakerConfig.routerId("192.0.2.1"), null, 179);
        assertThat(LocalOpen.of(local, peer(65010).build()).myAs()).isEqualTo(65535);
    }
}
