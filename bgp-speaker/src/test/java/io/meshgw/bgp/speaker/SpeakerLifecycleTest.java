package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Adding, removing and stopping peers and the speaker, graceful restart, and calls from other threads. */
class SpeakerLifecycleTest {

    private static final long OUR_ID = SpeakerConfig.routerId("192.0.2.1");
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final List<Capability> WITH_GR = List.of(
            new Capability.FourOctetAs(65010),
            new Capability.GracefulRestart(false, 60, List.of(new Capability.GracefulRestart.Family(1, 1, true))));

    private final FakeTransport transport = new FakeTransport();
    private final BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65000, OUR_ID, null, 179), transport);

    private static PeerConfig.Builder peer() {
        return PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65010)
                .exportPolicy(Policy.acceptAll());
    }

    private ScriptedNeighbor up(PeerConfig config, List<Capability> caps) {
        speaker.addPeer(config);
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("10.0.0.2"));
        n.sendOpen(caps);
        n.send(new Keepalive());
        assertThat(speaker.peer("dc").orElseThrow().state()).isEqualTo(State.ESTABLISHED);
        return n;
    }

    @Test
    void withoutTheNeighborsGracefulRestartCapabilityItsRoutesGoAtOnce() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), List.of(new Capability.FourOctetAs(65010)));
        n.send(announce(P1, 65010));
        n.connection.drop();
        assertThat(speaker.bestRoutes()).isEmpty();
    }

    @Test
    void withoutOurGracefulRestartConfiguredTheNeighborsRoutesGoAtOnce() {
        ScriptedNeighbor n = up(peer().build(), WITH_GR);
        n.send(announce(P1, 65010));
        n.connection.drop();
        assertThat(speaker.bestRoutes()).isEmpty();
    }

    @Test
    void aNeighborEndingTheSessionWithANotificationIsNotRestarting() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), WITH_GR);
        n.send(announce(P1, 65010));
        n.send(new Notification(Notification.CEASE, Notification.CEASE_ADMIN_RESET, new byte[0]));
        assertThat(speaker.bestRoutes()).isEmpty();
    }

    @Test
    void removingARestartingPeerDropsItsStaleRoutesAndItsGraceTimer() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), WITH_GR);
        n.send(announce(P1, 65010));
        n.connection.drop();
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);

        speaker.removePeer("dc");
        transport.runPending();

        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(transport.pendingTimers()).isZero();
    }

    @Test
    void stoppingForARestartDoesNotKeepTheNeighborsRoutesAsItsHelper() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), WITH_GR);
        n.send(announce(P1, 65010));
        n.clear();

        speaker.closeForRestart();
        transport.runPending();

        assertThat(n.notifications()).as("RFC 4724 §4.2: no NOTIFICATION").isEmpty();
        assertThat(n.connection.closed()).isTrue();
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(transport.pendingTimers()).isZero();
        assertThat(transport.dials()).isEmpty();
    }

    @Test
    void closingCeasesEverySessionWithAShutdownCommunication() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), WITH_GR);
        n.clear();
        speaker.close();
        Notification cease = n.notifications().getFirst();
        assertThat(cease.subcode()).isEqualTo(Notification.CEASE_ADMIN_SHUTDOWN);
        assertThat(cease.shutdownCommunication()).hasValue("speaker shutting down");
        assertThat(transport.closed).isTrue();
    }

    @Test
    void aSessionEndResetsWhatWasAdvertisedAndWhatWasReceived() {
        speaker.originate(P1, List.of());
        ScriptedNeighbor n = up(peer().keepPrePolicy(true).build(), List.of(new Capability.FourOctetAs(65010)));
        n.send(announce(Prefix.parse("10.9.0.0/16"), 65010));
        assertThat(speaker.peer("dc").orElseThrow().prefixesAdvertised()).isEqualTo(1);
        assertThat(speaker.receivedRoutes("dc")).containsOnlyKeys(Prefix.parse("10.9.0.0/16"));

        n.connection.drop();

        assertThat(speaker.peer("dc").orElseThrow().prefixesAdvertised()).isZero();
        assertThat(speaker.receivedRoutes("dc")).isEmpty();
        assertThat(speaker.peers()).extracting(PeerStatus::name).containsExactly("dc");
    }

    @Test
    void aReturningSessionGetsItsOwnNextHop() {
        speaker.originate(P1, List.of());
        ScriptedNeighbor n = up(peer().build(), List.of(new Capability.FourOctetAs(65010)));
        n.connection.drop();
        transport.advance(Duration.ofSeconds(5));
        ScriptedNeighbor back =
                new ScriptedNeighbor(transport.connectDial("192.0.2.77"), 65010, SpeakerConfig.routerId("10.0.0.2"));
        back.establish();
        var nh = back.updates().getFirst().attribute(PathAttribute.NextHop.class);
        assertThat(nh.orElseThrow().address()).containsExactly(192, 0, 2, 77);
    }

    @Test
    void aHeldEndOfRibFollowsTheRoutesOriginatedAfterTheSessionCameUp() {
        // A restarted gateway: the session is up before the control plane originated the VIP again.
        speaker.holdEndOfRib(Duration.ofSeconds(120));
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(60).build(), WITH_GR);
        transport.runPending();
        assertThat(n.updates())
                .as("no End-of-RIB before the routes are complete")
                .isEmpty();

        speaker.originate(P1, List.of());
        speaker.routesComplete();
        transport.runPending();

        List<Update> sent = n.updates();
        assertThat(sent).hasSize(2);
        assertThat(sent.getFirst().nlri()).containsExactly(P1);
        assertThat(sent.getLast()).as("End-of-RIB after the route").isEqualTo(Update.endOfRib());
        n.clear();
        speaker.routesComplete();
        transport.runPending();
        assertThat(n.updates()).as("End-of-RIB once").isEmpty();
    }

    @Test
    void aHeldEndOfRibGoesAnywayWhenTheRoutesNeverComplete() {
        speaker.holdEndOfRib(Duration.ofSeconds(30));
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(60).build(), WITH_GR);
        transport.advance(Duration.ofSeconds(29));
        assertThat(n.updates()).isEmpty();
        transport.advance(Duration.ofSeconds(2));
        transport.runPending();
        assertThat(n.updates()).containsExactly(Update.endOfRib());
    }

    @Test
    void aSessionUpAfterTheRoutesCompletedSendsEndOfRibAtOnce() {
        speaker.holdEndOfRib(Duration.ofSeconds(120));
        speaker.originate(P1, List.of());
        speaker.routesComplete();
        transport.runPending();
        ScriptedNeighbor n = up(peer().build(), List.of(new Capability.FourOctetAs(65010)));
        transport.runPending();
        assertThat(n.updates()).hasSize(2).last().isEqualTo(Update.endOfRib());
    }

    @Test
    void aSpeakerThatCannotListenDoesNotStartAndFreesItsTransport() {
        FakeTransport t = new FakeTransport();
        t.listenFailure = new IllegalStateException("cannot listen for BGP on *:179: address in use");
        assertThatThrownBy(() -> BgpSpeaker.start(new SpeakerConfig(65000, OUR_ID, null, 179), t))
                .hasMessageContaining("address in use");
        assertThat(t.closed).isTrue();
    }

    @Test
    void callsFromAnotherThreadRunOnTheSpeakersThreadAndKeepTheirExceptions() {
        FakeTransport t = new FakeTransport();
        t.runOnOwnThread();
        BgpSpeaker s = BgpSpeaker.start(new SpeakerConfig(65000, OUR_ID, null, 179), t);
        try {
            s.addPeer(peer().passive(true).build());
            assertThat(s.peers()).extracting(PeerStatus::state).containsExactly(State.ACTIVE);
            s.originate(P1, List.of());
            assertThat(s.bestRoutes()).containsOnlyKeys(P1);
            assertThatThrownBy(() -> s.removePeer("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no peer named nope");
        } finally {
            s.close();
        }
    }

    @Test
    void stoppingForARestartEndsAGracePeriodThatRuns() {
        ScriptedNeighbor n = up(peer().gracefulRestartSeconds(120).build(), WITH_GR);
        n.send(announce(P1, 65010));
        n.connection.drop();
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);

        speaker.closeForRestart();
        transport.runPending();

        assertThat(transport.pendingTimers()).isZero();
    }
}
