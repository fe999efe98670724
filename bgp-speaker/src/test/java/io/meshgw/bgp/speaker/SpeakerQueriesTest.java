package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the gateway and the CLI ask a running speaker: selected best routes, its own routes, its peers. */
class SpeakerQueriesTest {

    static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    static final Prefix OURS = Prefix.parse("198.51.100.0/24");
    static final PathAttribute.Communities TAGGED = new PathAttribute.Communities(List.of(0xFDE80001L));

    final FakeTransport transport = new FakeTransport();
    final BgpSpeaker speaker =
            BgpSpeaker.start(new SpeakerConfig(65000, SpeakerConfig.routerId("192.0.2.1"), null, 179), transport);
    final PeerConfig dc = PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65010)
            .exportPolicy(Policy.acceptAll())
            .build();
    final PeerConfig spare = PeerConfig.builder("spare", InetAddress.ofLiteral("192.0.2.3"), 65020)
            .build();

    /** dc sends P1 and P2; the speaker originates OURS, tagged. */
    void routesFromBothSides() {
        speaker.addPeer(dc);
        speaker.addPeer(spare);
        var n = new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        n.establish();
        n.send(announce(List.of(P1, P2), 65010));
        speaker.originate(OURS, List.of(TAGGED));
        transport.runPending();
    }

    @Test
    void theBestRoutesAFilterSelectsComeWithTheirSource() {
        routesFromBothSides();

        assertThat(speaker.bestRoutesMatching((p, a) -> !p.equals(P1)))
                .extracting(r -> r.prefix() + " from " + r.from())
                .containsExactlyInAnyOrder(P2 + " from dc", OURS + " from local");
        assertThat(speaker.bestRoutesMatching(
                        (p, a) -> a.get(PathAttribute.Communities.class).isPresent()))
                .extracting(BestRoute::prefix)
                .containsExactly(OURS);
        assertThat(speaker.bestRoutesMatching((p, a) -> false)).isEmpty();
    }

    @Test
    void theSpeakersOwnRoutesAreTheOnesItOriginates() {
        routesFromBothSides();

        var originated = speaker.originated();
        assertThat(originated).containsOnlyKeys(OURS);
        assertThat(originated.get(OURS).get(PathAttribute.Communities.class)).contains(TAGGED);
    }

    @Test
    void everyPeersConfigurationIsListedByName() {
        routesFromBothSides();

        assertThat(speaker.peerConfigs()).containsOnlyKeys(Set.of("dc", "spare"));
        assertThat(speaker.peerConfigs().get("dc")).isEqualTo(dc);
        assertThat(speaker.peerConfigs().get("spare")).isEqualTo(spare);
    }
}
