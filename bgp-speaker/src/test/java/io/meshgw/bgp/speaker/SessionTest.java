package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions over the in-memory transport: connections, collisions, timers, malformed input. */
class SessionTest {

    private static final long OUR_ID = SpeakerConfig.routerId("192.0.2.1");
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");

    private final FakeTransport transport = new FakeTransport();
    private final BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65000, OUR_ID, null, 179), transport);

    private static PeerConfig.Builder peer(String name, String address, long asn) {
        return PeerConfig.builder(name, InetAddress.ofLiteral(address), asn).exportPolicy(Policy.acceptAll());
    }

    private ScriptedNeighbor dialled(String routerId) {
        return new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId(routerId));
    }

    private ScriptedNeighbor inbound(String routerId) {
        return new ScriptedNeighbor(
                transport.connectInbound("192.0.2.2", "192.0.2.1"), 65010, SpeakerConfig.routerId(routerId));
    }

    private ScriptedNeighbor up() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = dialled("10.0.0.2").establish();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        n.clear();
        return n;
    }

    private State state() {
        return speaker.peer("dc").orElseThrow().state();
    }

    /** The session moved to the neighbor's parked connection: our OPEN on it, its parked OPEN answered, then up. */
    private void comesUpOnTheParkedConnection(ScriptedNeighbor theirs) {
        assertThat(theirs.received(Open.class))
                .as("our OPEN on the neighbor's connection")
                .hasSize(1);
        assertThat(theirs.received(Keepalive.class))
                .as("its parked OPEN was answered")
                .hasSize(1);
        theirs.send(new Keepalive());
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void inACollisionTheConnectionOfTheHigherIdentifierSurvivesOurs() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("10.0.0.2");
        ScriptedNeighbor theirs = inbound("10.0.0.2");
        theirs.sendOpen();
        assertThat(theirs.received()).as("parked: nothing is answered yet").isEmpty();

        ours.establish();

        assertThat(theirs.connection.closed()).isTrue();
        assertThat(ours.connection.closed()).isFalse();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void inACollisionTheConnectionOfTheHigherIdentifierSurvivesTheirs() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("203.0.113.9");
        ScriptedNeighbor theirs = inbound("203.0.113.9");
        theirs.sendOpen(); // parked until the identifiers are known

        ours.sendOpen();

        assertThat(ours.received(Keepalive.class))
                .as("never confirmed: the neighbor cannot have taken the connection we dump for established")
                .isEmpty();
        Notification dump = ours.notifications().getFirst();
        assertThat(dump.code()).isEqualTo(Notification.CEASE);
        assertThat(dump.subcode()).as("RFC 4271 §6.8").isEqualTo(Notification.CEASE_CONNECTION_COLLISION);
        assertThat(ours.connection.closed()).isTrue();
        comesUpOnTheParkedConnection(theirs);
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).contains("6/7");
    }

    /**
     * Our dial failed while the neighbor's connection was parked for the collision (OpenBGPD resets a connection that
     * arrives while its own is in OpenSent): the neighbor's connection is taken, its OPEN answered, and the session
     * comes up on it. Left parked, neither side would ever answer the other.
     */
    @Test
    void whenOurConnectionFailsTheParkedOneOfTheNeighborIsTaken() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("10.0.0.2");
        ScriptedNeighbor theirs = inbound("10.0.0.2");
        theirs.sendOpen();
        assertThat(theirs.received()).as("parked: nothing is answered yet").isEmpty();

        ours.connection.drop();

        comesUpOnTheParkedConnection(theirs);
        assertThat(theirs.connection.closed()).isFalse();
    }

    /**
     * The neighbor answered our dial and we confirmed it (KEEPALIVE) before its own connection arrived: the neighbor
     * may take ours for established by now, and it never saw an OPEN on its own, so it detects no collision. Dumping
     * ours would end what it holds as an established session, and a graceful-restart helper flushes the routes it
     * kept for us (BIRD does). Ours is kept, whatever the identifiers say, and theirs is ceased.
     */
    @Test
    void aConnectionWeConfirmedIsKeptWhenTheNeighborsOwnArrivesLater() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("203.0.113.9");
        ours.sendOpen();
        assertThat(ours.received(Keepalive.class)).as("confirmed").hasSize(1);

        ScriptedNeighbor theirs = inbound("203.0.113.9");
        theirs.sendOpen();

        assertThat(ours.connection.closed()).isFalse();
        assertThat(ours.notifications()).isEmpty();
        assertThat(theirs.connection.closed()).isTrue();
        assertThat(theirs.notifications().getFirst().subcode()).isEqualTo(Notification.CEASE_CONNECTION_COLLISION);
        assertThat(theirs.received(Open.class))
                .as("nothing was opened on theirs")
                .isEmpty();
        ours.send(new Keepalive());
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void aConnectionFromTheNeighborWhileWeDialWinsAndOurDialIsDropped() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor theirs = inbound("10.0.0.2");
        assertThat(theirs.received(Open.class)).hasSize(1);

        var late = transport.connectDial("192.0.2.1");

        assertThat(late.closed()).isTrue();
        theirs.establish();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void connectionsFromTheNeighborAreRefusedWhenIdleOrEstablished() {
        ScriptedNeighbor n = up();
        assertThat(transport.connectInbound("192.0.2.2", "192.0.2.1").closed())
                .as("§6.8: an established session wins")
                .isTrue();
        assertThat(n.connection.closed()).isFalse();

        n.send(new Notification(Notification.CEASE, Notification.CEASE_ADMIN_SHUTDOWN, new byte[0]));
        assertThat(state()).isEqualTo(State.IDLE);
        assertThat(transport.connectInbound("192.0.2.2", "192.0.2.1").closed())
                .as("holding off after the session ended")
                .isTrue();
    }

    @Test
    void aParkedConnectionGoesWithTheSession() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("10.0.0.2");
        ScriptedNeighbor theirs = inbound("10.0.0.2");

        transport.advance(Duration.ofMinutes(4)); // OpenSent's large hold time

        assertThat(ours.notifications().getFirst().code()).isEqualTo(Notification.HOLD_TIMER_EXPIRED);
        assertThat(ours.connection.closed()).isTrue();
        assertThat(theirs.connection.closed()).isTrue();
    }

    @Test
    void aFramingErrorEndsTheSessionWithAHeaderError() {
        ScriptedNeighbor n = up();
        byte[] bad = MessageEncoder.encode(new Keepalive(), CodecOptions.MODERN);
        bad[0] = 0;
        n.connection.deliver(bad);

        Notification sent = n.notifications().getFirst();
        assertThat(sent.code()).isEqualTo(Notification.MESSAGE_HEADER_ERROR);
        assertThat(sent.subcode()).isEqualTo(Notification.HEADER_CONNECTION_NOT_SYNCHRONIZED);
        assertThat(state()).isEqualTo(State.IDLE);
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).contains("1/1");
    }

    @Test
    void aFramingErrorOnAParkedConnectionClosesOnlyThatOne() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("10.0.0.2");
        ScriptedNeighbor theirs = inbound("10.0.0.2");
        byte[] bad = new byte[19];
        theirs.connection.deliver(bad);

        assertThat(theirs.connection.closed()).isTrue();
        assertThat(ours.connection.closed()).isFalse();
        assertThat(state()).isEqualTo(State.OPEN_SENT);
    }

    @Test
    void aMalformedOpenIsAnsweredWithItsNotification() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = dialled("10.0.0.2");
        byte[] open = MessageEncoder.encode(new Open(65010, 90, 2, List.of()), CodecOptions.INITIAL);
        open[19] = 3; // BGP version 3
        n.connection.deliver(open);

        Notification sent = n.notifications().getFirst();
        assertThat(sent.code()).isEqualTo(Notification.OPEN_MESSAGE_ERROR);
        assertThat(sent.subcode()).isEqualTo(Notification.OPEN_UNSUPPORTED_VERSION_NUMBER);
        assertThat(speaker.peer("dc").orElseThrow().lastError()).hasValue("sent notification 2/1");
    }

    @Test
    void messagesAreCountedBothWays() {
        ScriptedNeighbor n = up();
        PeerStatus st = speaker.peer("dc").orElseThrow();
        assertThat(st.messagesReceived()).as("OPEN, KEEPALIVE").isEqualTo(2);
        assertThat(st.messagesSent()).as("OPEN, KEEPALIVE, End-of-RIB").isEqualTo(3);
        n.send(new Keepalive());
        assertThat(speaker.peer("dc").orElseThrow().messagesReceived()).isEqualTo(3);
    }

    @Test
    void nothingIsAnnouncedBeforeTheSessionIsEstablished() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = dialled("10.0.0.2");
        n.sendOpen();
        assertThat(state()).isEqualTo(State.OPEN_CONFIRM);
        speaker.originate(P1, List.of());
        transport.runPending();
        assertThat(n.updates()).isEmpty();
        n.send(new Keepalive());
        assertThat(n.updates().getFirst().nlri()).containsExactly(P1);
    }

    @Test
    void keepalivesGoOutOnTimeAndEachUpdateSentPostponesThem() {
        ScriptedNeighbor n = up();
        transport.advance(Duration.ofSeconds(20));
        speaker.originate(P1, List.of());
        transport.advance(Duration.ofSeconds(25));
        assertThat(n.received(Keepalive.class))
                .as("RFC 4271 §10: the UPDATE restarted the timer")
                .isEmpty();
        transport.advance(Duration.ofSeconds(6));
        assertThat(n.received(Keepalive.class)).hasSize(1);
    }

    @Test
    void updatesFromTheNeighborKeepTheSessionUpLikeKeepalives() {
        ScriptedNeighbor n = up();
        transport.advance(Duration.ofSeconds(60));
        n.send(announce(P1, 65010));
        transport.advance(Duration.ofSeconds(60));
        n.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        transport.advance(Duration.ofSeconds(60));
        assertThat(state()).as("180 s after the last KEEPALIVE").isEqualTo(State.ESTABLISHED);

        transport.advance(Duration.ofSeconds(30)); // 90 s after the ROUTE-REFRESH
        assertThat(state()).isEqualTo(State.IDLE);
        assertThat(n.notifications().getLast().code()).isEqualTo(Notification.HOLD_TIMER_EXPIRED);
    }

    @Test
    void aVersionErrorFromTheNeighborStopsRetryingOtherErrorsDoNot() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        dialled("10.0.0.2")
                .send(new Notification(
                        Notification.OPEN_MESSAGE_ERROR, Notification.OPEN_UNSUPPORTED_VERSION_NUMBER, new byte[] {0, 4
                        }));
        assertThat(state()).isEqualTo(State.IDLE);
        transport.advance(Duration.ofMinutes(5));
        assertThat(transport.dials())
                .as("RFC 4271 §8.2.2: no automatic restart")
                .isEmpty();

        speaker.removePeer("dc");
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        dialled("10.0.0.2")
                .send(new Notification(Notification.CEASE, Notification.CEASE_CONNECTION_REJECTED, new byte[0]));
        assertThat(state()).isEqualTo(State.IDLE);
        transport.advance(Duration.ofSeconds(2));
        assertThat(transport.dials()).as("restarted after the IdleHoldTimer").hasSize(1);
    }

    @Test
    void onlyANormalRouteRefreshForAKnownFamilyResendsTheTable() {
        speaker.originate(P1, List.of());
        ScriptedNeighbor n = up();
        n.send(new RouteRefresh(1, 1, RouteRefresh.BEGIN));
        n.send(new RouteRefresh(99, 1, RouteRefresh.NORMAL));
        assertThat(n.updates()).isEmpty();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void updatesLongerThan4096BytesNeedTheExtendedMessageCapabilityOnBothSides() {
        List<Prefix> many = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            many.add(Prefix.parse("10." + (i / 256) + "." + (i % 256) + ".0/24"));
        }
        Update big = announce(many, 65010);
        CodecOptions extended = new CodecOptions(true, true, false);
        assertThat(MessageEncoder.encode(big, extended).length).isGreaterThan(4096);

        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = dialled("10.0.0.2");
        n.sendOpen(List.of(new Capability.FourOctetAs(65010), new Capability.ExtendedMessage()));
        n.send(new Keepalive());
        n.send(big, extended);
        assertThat(speaker.routeCount()).as("RFC 8654").isEqualTo(1200);

        speaker.removePeer("dc");
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor plain = dialled("10.0.0.2");
        plain.establish();
        plain.send(big, extended);
        Notification refused = plain.notifications().getLast();
        assertThat(refused.code()).isEqualTo(Notification.MESSAGE_HEADER_ERROR);
        assertThat(refused.subcode()).isEqualTo(Notification.HEADER_BAD_MESSAGE_LENGTH);
    }

    @Test
    void aConnectionErrorIsShownInTheStatus() {
        ScriptedNeighbor n = up();
        n.connection.fail(new IOException("connection reset by peer"));
        PeerStatus st = speaker.peer("dc").orElseThrow();
        assertThat(st.state()).isEqualTo(State.IDLE);
        assertThat(st.lastError()).hasValue("connection error: connection reset by peer");
    }

    @Test
    void theLowerBgpIdentifierWinsBeforeTheLowerAddress() {
        speaker.addPeer(peer("a", "192.0.2.2", 65010).build());
        new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("10.0.0.9"))
                .establish()
                .send(announce(P1, 65010));
        speaker.addPeer(peer("b", "198.51.100.2", 65020).build());
        new ScriptedNeighbor(transport.connectDial("198.51.100.1"), 65020, SpeakerConfig.routerId("10.0.0.1"))
                .establish()
                .send(announce(P1, 65020));

        assertThat(speaker.bestRoutesWithSource()).extracting(BestRoute::from).containsExactly("b");
    }

    @Test
    void aRemovedPeerLeavesNoTimerBehind() {
        up();
        speaker.removePeer("dc");
        transport.runPending();
        assertThat(transport.pendingTimers()).isZero();
    }

    @Test
    void aPeerDialledOnAFamilyItDoesNotShareGetsNoRoutesAndNoEndOfRib() {
        speaker.originate(P1, List.of());
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = dialled("10.0.0.2");
        n.sendOpen(List.of(new Capability.MultiProtocol(2, 1), new Capability.FourOctetAs(65010)));
        n.send(new Keepalive());
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        assertThat(n.updates()).isEmpty();
    }

    @Test
    void anOpenWithAnotherAsIsRefusedWithTheAsAsData() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n = new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65011, 2);
        n.sendOpen(List.of());
        Notification sent = n.notifications().getFirst();
        assertThat(sent.subcode()).isEqualTo(Notification.OPEN_BAD_PEER_AS);
        assertThat(Arrays.equals(sent.data(), new byte[] {(byte) 0xFD, (byte) 0xF3}))
                .isTrue();
    }

    @Test
    void aConnectionFromTheNeighborAfterItsOpenIsResolvedAtOnce() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor ours = dialled("10.0.0.2");
        ours.sendOpen();
        assertThat(state()).isEqualTo(State.OPEN_CONFIRM);

        ScriptedNeighbor theirs = inbound("10.0.0.2");

        assertThat(theirs.connection.closed())
                .as("our identifier is higher: ours stays")
                .isTrue();
        assertThat(ours.connection.closed()).isFalse();
    }

    @Test
    void aRepairedUpdateIsShownInTheStatus() {
        ScriptedNeighbor n = up();
        List<PathAttribute> attrs = new ArrayList<>(announce(P1, 65010).attributes());
        attrs.add(new PathAttribute.LocalPref(500)); // RFC 7606 §7.5: not from eBGP
        n.send(new Update(List.of(), attrs, List.of(P1)));

        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);
        assertThat(speaker.bestRoutes().get(P1).get(PathAttribute.LocalPref.class))
                .isEmpty();
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).startsWith("repaired UPDATE (RFC 7606)");
    }
}
