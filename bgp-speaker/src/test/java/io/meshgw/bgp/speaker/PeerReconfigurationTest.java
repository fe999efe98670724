package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A changed neighbor configuration applied to the running session, or a new session when only that applies it. */
class PeerReconfigurationTest {

    private static final long OUR_AS = 65000;
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    private static final Prefix P3 = Prefix.parse("10.3.0.0/16");

    private final FakeTransport transport = new FakeTransport();
    private BgpSpeaker speaker;

    @BeforeEach
    void start() {
        speaker =
                BgpSpeaker.start(new SpeakerConfig(OUR_AS, SpeakerConfig.routerId("192.0.2.1"), null, 179), transport);
    }

    private static PeerConfig.Builder dc() {
        return PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65010);
    }

    /** A policy that accepts exactly the routes of {@code cidrs} and rejects the rest. */
    private static Policy only(String... cidrs) {
        List<PrefixListEntry> entries =
                java.util.Arrays.stream(cidrs).map(PrefixListEntry::permit).toList();
        return new Policy(
                "only",
                List.of(new Statement(
                        "listed",
                        List.of(new Condition.InPrefixList(new PrefixList("listed", entries))),
                        List.of(),
                        Statement.Disposition.ACCEPT)),
                false);
    }

    private ScriptedNeighbor up(PeerConfig config) {
        speaker.addPeer(config);
        ScriptedNeighbor n = new ScriptedNeighbor(
                transport.connectDial("192.0.2.1"), config.peerAsn(), SpeakerConfig.routerId("192.0.2.2"));
        n.establish();
        transport.runPending();
        assertThat(state()).isEqualTo(State.ESTABLISHED);
        return n;
    }

    private State state() {
        return speaker.peer("dc").orElseThrow().state();
    }

    /** The session is the one it was: up since the same instant, no NOTIFICATION, not dialled again. */
    private void assertSameSession(ScriptedNeighbor n, PeerStatus before) {
        PeerStatus now = speaker.peer("dc").orElseThrow();
        assertThat(now.state()).isEqualTo(State.ESTABLISHED);
        assertThat(now.establishedSince()).isEqualTo(before.establishedSince());
        assertThat(now.flaps()).isEqualTo(before.flaps());
        assertThat(n.notifications()).isEmpty();
        assertThat(n.connection.closed()).isFalse();
        assertThat(transport.dials()).isEmpty();
    }

    @Test
    void importPolicyEditKeepsSessionUpAndRelearnsFromAdjRibIn() {
        ScriptedNeighbor n = up(dc().keepPrePolicy(true).build());
        n.send(announce(List.of(P1, P2), 65010));
        transport.runPending();
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1, P2);
        PeerStatus before = speaker.peer("dc").orElseThrow();
        n.clear();

        PeerChange change = speaker.updatePeer(
                dc().keepPrePolicy(true).importPolicy(only("10.1.0.0/16")).build());
        transport.runPending();

        assertThat(change.resetsSession()).isFalse();
        assertThat(change.importPolicy()).isTrue();
        assertSameSession(n, before);
        assertThat(speaker.bestRoutes()).as("P2 newly denied on import").containsOnlyKeys(P1);
        assertThat(speaker.acceptedRoutes("dc")).containsOnlyKeys(P1);
        assertThat(speaker.receivedRoutes("dc")).as("still kept as received").containsOnlyKeys(P1, P2);
        assertThat(n.received(RouteRefresh.class))
                .as("the pre-policy Adj-RIB-In answers, the neighbor is not asked")
                .isEmpty();

        speaker.updatePeer(dc().keepPrePolicy(true).build());
        transport.runPending();
        assertThat(speaker.bestRoutes())
                .as("accepted again, from what was kept")
                .containsOnlyKeys(P1, P2);
        assertSameSession(n, before);
    }

    @Test
    void importPolicyEditWithoutPrePolicyAsksTheNeighborForItsRoutesAgain() {
        ScriptedNeighbor n = up(dc().build());
        n.send(announce(List.of(P1, P2), 65010));
        transport.runPending();
        PeerStatus before = speaker.peer("dc").orElseThrow();
        n.clear();

        speaker.updatePeer(dc().importPolicy(only("10.1.0.0/16")).build());

        assertThat(n.received(RouteRefresh.class))
                .as("RFC 2918: one request per negotiated family")
                .containsExactly(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        n.send(announce(List.of(P1, P2), 65010)); // the neighbor's Adj-RIB-Out again
        transport.runPending();
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);
        assertSameSession(n, before);
    }

    @Test
    void importPolicyEditOnANeighborWithoutRouteRefreshOrPrePolicyResetsAndSaysWhy() {
        speaker.addPeer(dc().build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        n.sendOpen(List.of(new Capability.MultiProtocol(1, 1), new Capability.FourOctetAs(65010)));
        n.send(new Keepalive());
        transport.runPending();
        assertThat(state()).isEqualTo(State.ESTABLISHED);

        PeerChange change =
                speaker.updatePeer(dc().importPolicy(only("10.1.0.0/16")).build());
        transport.runPending();

        assertThat(change.resetsSession()).isTrue();
        assertThat(change.describe()).contains("takes no ROUTE-REFRESH");
        assertThat(n.notifications().getLast().subcode()).isEqualTo(Notification.CEASE_OTHER_CONFIGURATION_CHANGE);
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).contains("takes no ROUTE-REFRESH");
    }

    @Test
    void exportPolicyEditSendsOnlyTheDifference() {
        speaker.originate(P1, List.of());
        speaker.originate(P2, List.of());
        speaker.originate(P3, List.of());
        ScriptedNeighbor n =
                up(dc().exportPolicy(only("10.1.0.0/16", "10.2.0.0/16")).build());
        assertThat(n.updates().stream().flatMap(u -> u.nlri().stream())).containsExactlyInAnyOrder(P1, P2);
        PeerStatus before = speaker.peer("dc").orElseThrow();
        n.clear();

        PeerChange change = speaker.updatePeer(
                dc().exportPolicy(only("10.2.0.0/16", "10.3.0.0/16")).build());
        transport.runPending();

        assertThat(change.export()).isTrue();
        assertSameSession(n, before);
        List<Update> sent = n.updates();
        assertThat(sent.stream().flatMap(u -> u.withdrawn().stream()))
                .as("newly denied")
                .containsExactly(P1);
        assertThat(sent.stream().flatMap(u -> u.nlri().stream()))
                .as("newly allowed; P2, unchanged, is not sent again")
                .containsExactly(P3);
        assertThat(speaker.peer("dc").orElseThrow().prefixesAdvertised()).isEqualTo(2);
    }

    @Test
    void asnChangeResetsSessionAndSaysWhy() {
        ScriptedNeighbor n = up(dc().build());
        n.send(announce(P1, 65010));
        transport.runPending();

        PeerChange change = speaker.updatePeer(PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), 65011)
                .build());
        transport.runPending();

        assertThat(change.resetsSession()).isTrue();
        assertThat(change.describe()).isEqualTo("peer AS 65010 -> 65011");
        Notification cease = n.notifications().getLast();
        assertThat(cease.code()).isEqualTo(Notification.CEASE);
        assertThat(cease.subcode()).as("RFC 4486").isEqualTo(Notification.CEASE_OTHER_CONFIGURATION_CHANGE);
        assertThat(n.connection.closed()).isTrue();
        assertThat(speaker.bestRoutes())
                .as("what the old session carried is gone")
                .isEmpty();
        PeerStatus now = speaker.peer("dc").orElseThrow();
        assertThat(now.peerAsn()).isEqualTo(65011);
        assertThat(now.lastError()).hasValue("reset by a configuration change: peer AS 65010 -> 65011");
        assertThat(transport.dials()).as("the new session dials at once").hasSize(1);
    }

    @Test
    void aRouteWithdrawnAsALoopIsNotImportedAgainByAPolicyEdit() {
        ScriptedNeighbor n = up(dc().keepPrePolicy(true).build());
        n.send(announce(P1, 65010));
        n.send(announce(P1, 65010, OUR_AS)); // the same prefix again, now looping through us
        transport.runPending();
        assertThat(speaker.bestRoutes()).isEmpty();

        speaker.updatePeer(
                dc().keepPrePolicy(true).importPolicy(only("10.1.0.0/16")).build());
        transport.runPending();

        assertThat(speaker.receivedRoutes("dc")).as("what it replaced is gone").isEmpty();
        assertThat(speaker.bestRoutes()).isEmpty();
    }

    @Test
    void everySettingTheOpenOrTheConnectionCarriesResetsTheSession() {
        PeerConfig was = dc().build();
        assertThat(PeerChange.between(was, was).none()).isTrue();
        assertThat(PeerChange.between(was, dc().md5Password("k").build()).describe())
                .isEqualTo("TCP-MD5 key changed");
        assertThat(PeerChange.between(was, dc().gtsmHops(1).build()).describe()).isEqualTo("GTSM hops off -> 1");
        assertThat(PeerChange.between(was, dc().multihopTtl(3).build()).resetsSession())
                .isTrue();
        assertThat(PeerChange.between(was, dc().port(1179).build()).describe()).isEqualTo("port 179 -> 1179");
        assertThat(PeerChange.between(
                                was,
                                dc().families(java.util.Set.of(io.meshgw.bgp.wire.Afi.IPV6))
                                        .build())
                        .describe())
                .isEqualTo("families [IPV4] -> [IPV6]");
        assertThat(PeerChange.between(was, dc().gracefulRestartSeconds(120).build())
                        .describe())
                .isEqualTo("graceful restart off -> 120 s");
        assertThat(PeerChange.between(was, dc().timers(holdTime(9)).build()).resetsSession())
                .as("RFC 4271 §4.2: the hold time is offered in the OPEN")
                .isTrue();
        assertThat(PeerChange.between(
                                was,
                                dc().timers(FsmTimers.defaults().withSendHoldTime(Duration.ofMinutes(2)))
                                        .build())
                        .describe())
                .as("the RFC 9687 send hold time runs with the session's timers")
                .isEqualTo("timers hold 90 s, keepalive 30 s, connect retry 120 s, idle hold 1000..120000 ms, send hold"
                        + " default -> hold 90 s, keepalive 30 s, connect retry 120 s, idle hold 1000..120000 ms,"
                        + " send hold 120 s");
        assertThat(PeerChange.between(
                                was,
                                dc().localAddress(InetAddress.ofLiteral("192.0.2.1"))
                                        .build())
                        .resetsSession())
                .isTrue();
        assertThat(PeerChange.between(
                                was,
                                dc().attributeScreen(new io.meshgw.bgp.wire.AttributeScreen(
                                                java.util.Map.of(23, io.meshgw.bgp.wire.AttributeScreen.Action.RELAY)))
                                        .build())
                        .describe())
                .isEqualTo("path attributes AttributeScreen{} -> AttributeScreen{23=RELAY}");
        PeerChange live = PeerChange.between(
                was,
                dc().maxPrefixes(10)
                        .keepPrePolicy(true)
                        .ipv6NextHop(InetAddress.ofLiteral("2001:db8::1"))
                        .build());
        assertThat(live.resetsSession()).isFalse();
        assertThat(live.describe()).isEqualTo("export, prefix limit, keepPrePolicy");
    }

    private static FsmTimers holdTime(int seconds) {
        FsmTimers d = FsmTimers.defaults();
        return new FsmTimers(
                d.connectRetry(),
                Duration.ofSeconds(seconds),
                Duration.ofSeconds(seconds / 3),
                d.largeHold(),
                d.idleHoldBase(),
                d.idleHoldMax());
    }

    @Test
    void aLowerPrefixLimitIsEnforcedAtOnce() {
        ScriptedNeighbor n = up(dc().build());
        n.send(announce(List.of(P1, P2), 65010));
        transport.runPending();

        speaker.updatePeer(dc().maxPrefixes(1).build());

        assertThat(n.notifications().getLast().subcode()).isEqualTo(Notification.CEASE_MAX_PREFIXES);
        assertThat(state()).isEqualTo(State.IDLE);
    }

    @Test
    void aPeerDownForItsPrefixLimitStartsAgainWhenItsConfigurationChanges() {
        ScriptedNeighbor n = up(dc().maxPrefixes(1).build());
        n.send(announce(List.of(P1, P2), 65010));
        transport.runPending();
        assertThat(state()).isEqualTo(State.IDLE);
        transport.advance(Duration.ofMinutes(10));
        assertThat(transport.dials()).isEmpty();

        speaker.updatePeer(dc().maxPrefixes(5).build());
        transport.runPending();

        assertThat(transport.dials())
                .as("started again, as a changed BgpPeer promises")
                .hasSize(1);
    }
}
