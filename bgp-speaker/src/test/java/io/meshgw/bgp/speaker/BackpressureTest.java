package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A neighbor that does not read what it is sent, asks for the table over and over, or floods
 * connections: over the in-memory transport, where the test says when the connection stops and
 * starts taking bytes again.
 */
class BackpressureTest {

    private static final long OUR_ID = SpeakerConfig.routerId("192.0.2.1");
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    private static final Duration SEND_HOLD = Duration.ofSeconds(20);

    private final FakeTransport transport = new FakeTransport();
    private final BgpSpeaker speaker = BgpSpeaker.start(new SpeakerConfig(65000, OUR_ID, null, 179), transport);

    private ScriptedNeighbor up() {
        speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65010)
                .exportPolicy(Policy.acceptAll())
                .timers(FsmTimers.defaults().withSendHoldTime(SEND_HOLD))
                .build());
        ScriptedNeighbor n = new ScriptedNeighbor(
                        transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("10.0.0.2"))
                .establish();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        n.clear();
        return n;
    }

    private State state() {
        return speaker.peer("dc").orElseThrow().state();
    }

    private void originate(Prefix p, long tag) {
        speaker.originate(p, List.of(new PathAttribute.Communities(List.of(tag))));
        transport.runPending();
    }

    @Test
    void aNeighborThatTakesNothingForTheSendHoldTimeIsResetWithNotification8() {
        ScriptedNeighbor n = up();
        n.connection.writable(false);

        transport.advance(SEND_HOLD.minusSeconds(1));
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        transport.advance(Duration.ofSeconds(1));

        assertThat(state()).isEqualTo(State.IDLE);
        Notification sent = n.notifications().getLast();
        assertThat(sent.code()).as("RFC 9687 §5").isEqualTo(Notification.SEND_HOLD_TIMER_EXPIRED);
        assertThat(n.connection.closed()).isTrue();
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow())
                .contains("8/0")
                .contains("send hold timer expired");
    }

    @Test
    void aNeighborThatDrainsItsQueueBeforeTheSendHoldTimeStaysUp() {
        ScriptedNeighbor n = up();
        n.connection.writable(false);
        transport.advance(SEND_HOLD.minusSeconds(1));
        n.connection.writable(true);
        n.connection.writable(false);
        transport.advance(SEND_HOLD.minusSeconds(1));
        n.send(new Keepalive());

        assertThat(state()).isEqualTo(State.ESTABLISHED);
        assertThat(n.notifications()).isEmpty();
    }

    @Test
    void theDefaultSendHoldTimeIsEightMinutesOrTwiceTheHoldTime() {
        assertThat(FsmTimers.defaults().effectiveSendHold(Duration.ofSeconds(90)))
                .isEqualTo(Duration.ofMinutes(8));
        assertThat(FsmTimers.defaults().effectiveSendHold(Duration.ofSeconds(300)))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(FsmTimers.defaults()
                        .withSendHoldTime(Duration.ofSeconds(5))
                        .effectiveSendHold(Duration.ofSeconds(300)))
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void changesWhileTheNeighborIsNotReadingAreHeldOncePerPrefixAndSentWhenItDrains() {
        ScriptedNeighbor n = up();
        n.connection.writable(false);
        for (long tag = 1; tag <= 1000; tag++) {
            originate(P1, tag);
        }
        originate(P2, 1);
        speaker.withdraw(P2);
        transport.runPending();
        assertThat(n.updates())
                .as("nothing more is queued for a neighbor that does not read")
                .isEmpty();

        n.connection.writable(true);

        List<Update> sent = n.updates();
        assertThat(sent)
                .as("one UPDATE for P1 with its last attributes, none for P2")
                .hasSize(1);
        assertThat(sent.getFirst().nlri()).containsExactly(P1);
        assertThat(sent.getFirst().attributes()).contains(new PathAttribute.Communities(List.of(1000L)));
        assertThat(speaker.peer("dc").orElseThrow().prefixesAdvertised()).isEqualTo(1);
    }

    @Test
    void aRouteRefreshFloodCostsOneTableWalkPerIntervalNotOnePerRequest() {
        originate(P1, 1);
        ScriptedNeighbor n = up();
        for (int i = 0; i < 1000; i++) {
            n.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        }
        assertThat(n.updates()).as("the first request is answered at once").hasSize(1);
        assertThat(speaker.refreshCounts("dc")).isEqualTo(new AdjRibOut.RefreshCounts(1000, 1));

        transport.advance(AdjRibOut.MIN_REFRESH_INTERVAL);
        assertThat(n.updates()).as("the 999 owed requests are one walk").hasSize(2);
        transport.advance(AdjRibOut.MIN_REFRESH_INTERVAL.multipliedBy(5));
        assertThat(speaker.refreshCounts("dc").walks()).isEqualTo(2);
        PeerStatus status = speaker.peer("dc").orElseThrow();
        assertThat(status.refreshRequests()).as("the status, for metrics").isEqualTo(1000);
        assertThat(status.refreshWalks()).isEqualTo(2);
    }

    @Test
    void aRouteRefreshFromANeighborThatIsNotReadingWaitsUntilItDrains() {
        originate(P1, 1);
        ScriptedNeighbor n = up();
        n.connection.writable(false);
        for (int i = 0; i < 100; i++) {
            n.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        }
        transport.advance(Duration.ofSeconds(5));
        assertThat(n.updates()).isEmpty();

        n.connection.writable(true);

        assertThat(n.updates()).hasSize(1);
        assertThat(speaker.refreshCounts("dc")).isEqualTo(new AdjRibOut.RefreshCounts(100, 1));
    }

    @Test
    void aParkedCollisionConnectionThatKeepsSendingIsClosedAtItsBound() {
        speaker.addPeer(PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65010)
                .build());
        ScriptedNeighbor ours =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("10.0.0.2"));
        ScriptedNeighbor theirs = new ScriptedNeighbor(
                transport.connectInbound("192.0.2.2", "192.0.2.1"), 65010, SpeakerConfig.routerId("10.0.0.2"));
        theirs.sendOpen(); // parked until our connection learns the identifiers
        for (int i = 0; i < 10_000 && !theirs.connection.closed(); i++) {
            theirs.send(new Keepalive());
        }

        assertThat(theirs.connection.closed())
                .as("closed once it held more than %d bytes", Connection.PARKED_LIMIT)
                .isTrue();
        ours.establish();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        assertThat(ours.connection.closed()).isFalse();
    }

    @Test
    void connectionsFromAddressesThatAreNotNeighborsAreResetUnreadAndLoggedAFewTimesAMinute() {
        up();
        List<FakeTransport.FakeConnection> strangers = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            strangers.add(transport.connectInbound("198.51.100." + (i % 200 + 1), "192.0.2.1"));
        }

        assertThat(strangers).allMatch(FakeTransport.FakeConnection::aborted);
        long[] refused = speaker.refusedConnections();
        assertThat(refused[0]).isEqualTo(1000);
        assertThat(speaker.connectionsRefused()).as("for metrics").isEqualTo(1000);
        assertThat(refused[1]).isEqualTo(RefusedConnections.LINES_PER_WINDOW);
        assertThat(state()).isEqualTo(State.ESTABLISHED);
    }
}
