package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static io.meshgw.bgp.speaker.TestRoutes.withdrawal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.bgp.fsm.FsmTimers;
import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.AttributeScreen;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.CollidingPrefixes;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole speaker over an in-memory transport: sessions with scripted neighbors, routes in and
 * out, and the events a listener is told.
 */
class BgpSpeakerTest {

    private static final long OUR_AS = 65000;
    private static final long OUR_ID = SpeakerConfig.routerId("192.0.2.1");
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");

    private final FakeTransport transport = new FakeTransport();
    private final List<PeerStatus> sessionEvents = new ArrayList<>();
    private final List<List<BestRouteChange>> routeEvents = new ArrayList<>();
    private BgpSpeaker speaker;

    @BeforeEach
    void start() {
        speaker = BgpSpeaker.start(new SpeakerConfig(OUR_AS, OUR_ID, null, 179), transport);
        speaker.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {
                sessionEvents.add(status);
            }

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                routeEvents.add(changes);
            }
        });
    }

    private static PeerConfig.Builder peer(String name, String address, long asn) {
        return PeerConfig.builder(name, InetAddress.ofLiteral(address), asn).exportPolicy(Policy.acceptAll());
    }

    /** Adds the peer, lets its dial connect from {@code local}, and brings the session up. */
    private ScriptedNeighbor up(PeerConfig config, String local, String routerId) {
        speaker.addPeer(config);
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial(local), config.peerAsn(), SpeakerConfig.routerId(routerId));
        n.establish();
        assertThat(state(config.name())).isEqualTo(State.ESTABLISHED);
        return n;
    }

    private State state(String name) {
        return speaker.peer(name).orElseThrow().state();
    }

    @Test
    void listensOnTheConfiguredPortAndDialsWithThePeersSocketSettings() {
        assertThat(transport.listenedPort).isEqualTo(179);
        assertThat(speaker.listenPort()).isEqualTo(179);
        speaker.addPeer(peer("dc", "192.0.2.2", 65010)
                .port(1179)
                .md5Password("s3cret")
                .gtsmHops(1)
                .localAddress(InetAddress.ofLiteral("192.0.2.1"))
                .build());

        var dial = transport.dials().getFirst().request();
        assertThat(dial.remote().getAddress()).isEqualTo(InetAddress.ofLiteral("192.0.2.2"));
        assertThat(dial.remote().getPort()).isEqualTo(1179);
        assertThat(dial.md5Password()).hasValue("s3cret");
        assertThat(dial.gtsmHops()).hasValue(1);
        assertThat(dial.localAddress()).hasValue(InetAddress.ofLiteral("192.0.2.1"));
        assertThat(transport.listenerKeys)
                .as("RFC 2385: the listening socket knows the key before the neighbor connects")
                .containsEntry(InetAddress.ofLiteral("192.0.2.2"), Optional.of("s3cret"));

        speaker.removePeer("dc");
        assertThat(transport.listenerKeys).containsEntry(InetAddress.ofLiteral("192.0.2.2"), Optional.empty());
    }

    @Test
    void aMultihopNeighborIsDialledAndAnsweredWithItsTtl() {
        speaker.addPeer(peer("far", "192.0.2.9", 65010).multihopTtl(3).build());
        assertThat(transport.dials().getFirst().request().multihopTtl()).hasValue(3);

        var accepted = transport.connectInbound("192.0.2.9", "192.0.2.1");
        assertThat(accepted.ttl).hasValue(3);
        assertThat(accepted.gtsmHops).isEmpty();
    }

    @Test
    void aSpeakerWithPortZeroDoesNotListen() {
        FakeTransport t = new FakeTransport();
        BgpSpeaker s = BgpSpeaker.start(new SpeakerConfig(OUR_AS, OUR_ID, null, 0), t);
        assertThat(s.listenPort()).isZero();
        assertThat(t.listenedPort).as("listen was never called").isEqualTo(-1);
        s.close();
        assertThat(t.closed).isTrue();
    }

    @Test
    void peersNeedUniqueNamesAndAddresses() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        assertThatThrownBy(() -> speaker.addPeer(peer("dc", "192.0.2.3", 65010).build()))
                .hasMessageContaining("a peer named dc exists already");
        assertThatThrownBy(() -> speaker.addPeer(peer("dc2", "192.0.2.2", 65010).build()))
                .hasMessageContaining("peer dc already uses 192.0.2.2");
        assertThatThrownBy(() -> speaker.removePeer("nope")).hasMessageContaining("no peer named nope");
        assertThatThrownBy(() -> speaker.acceptedRoutes("nope")).hasMessageContaining("no peer named nope");
    }

    @Test
    void theSessionComesUpWithOurOpenAndEveryStateChangeIsAnEvent() {
        speaker.addPeer(peer("dc", "192.0.2.2", 4200000010L).build());
        transport.runPending();
        assertThat(sessionEvents).extracting(PeerStatus::state).containsExactly(State.CONNECT);

        ScriptedNeighbor n = new ScriptedNeighbor(
                transport.connectDial("192.0.2.1"), 4200000010L, SpeakerConfig.routerId("192.0.2.2"));
        Open ours = n.received(Open.class).getFirst();
        assertThat(ours.asn()).isEqualTo(OUR_AS);
        assertThat(ours.bgpId()).isEqualTo(OUR_ID);
        n.establish();
        transport.runPending();

        assertThat(sessionEvents)
                .extracting(PeerStatus::state)
                .containsExactly(State.CONNECT, State.OPEN_SENT, State.OPEN_CONFIRM, State.ESTABLISHED);
        PeerStatus up = sessionEvents.getLast();
        assertThat(up.name()).isEqualTo("dc");
        assertThat(up.establishedSince()).isPresent();
        assertThat(n.updates())
                .as("RFC 4724 §2: End-of-RIB once the (empty) table is sent")
                .containsExactly(Update.endOfRib());
    }

    @Test
    void eventsWaitForTheEndOfTheBatch() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        transport.runPending();
        routeEvents.clear();

        n.connection.takeWritten();
        speaker.originate(P1, List.of());
        speaker.withdraw(P1);
        speaker.originate(P2, List.of());
        assertThat(routeEvents).as("nothing before the batch ends").isEmpty();
        transport.runPending();

        assertThat(routeEvents).hasSize(1);
        assertThat(routeEvents.getFirst())
                .as("P1 came and went within the batch")
                .extracting(BestRouteChange::prefix)
                .containsExactly(P2);
        assertThat(n.updates()).hasSize(1);
        assertThat(n.updates().getFirst().nlri()).containsExactly(P2);
    }

    @Test
    void learnedRoutesAreEventsWithTheirSourceAndGoWithTheSession() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        transport.runPending();
        sessionEvents.clear();

        n.send(announce(P1, 65010));
        transport.runPending();

        BestRouteChange learned = routeEvents.getLast().getFirst();
        assertThat(learned.prefix()).isEqualTo(P1);
        assertThat(learned.best().orElseThrow().from()).isEqualTo("dc");
        assertThat(learned.best()
                        .orElseThrow()
                        .attributes()
                        .get(PathAttribute.AsPath.class)
                        .orElseThrow()
                        .flatten())
                .containsExactly(65010L);
        assertThat(speaker.bestRoutesWithSource()).extracting(BestRoute::from).containsExactly("dc");
        assertThat(speaker.acceptedRoutes("dc")).containsOnlyKeys(P1);
        assertThat(speaker.peer("dc").orElseThrow().prefixesAccepted()).isEqualTo(1);
        assertThat(speaker.peer("dc").orElseThrow().prefixesReceived()).isEqualTo(1);
        assertThat(speaker.routeCount()).isEqualTo(1);

        n.send(new Notification(Notification.CEASE, Notification.CEASE_ADMIN_RESET, new byte[0]));
        transport.runPending();

        assertThat(sessionEvents).extracting(PeerStatus::state).contains(State.IDLE);
        assertThat(sessionEvents.getFirst().state()).isEqualTo(State.IDLE);
        assertThat(sessionEvents.getFirst().establishedSince()).isEmpty();
        assertThat(sessionEvents.getFirst().flaps()).isEqualTo(1);
        assertThat(routeEvents.getLast()).containsExactly(new BestRouteChange(P1, Optional.empty()));
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).contains("received notification 6/4");
    }

    @Test
    void aRouteFromOneEbgpPeerReachesAnotherWithOurAsAndNextHop() {
        ScriptedNeighbor a = up(peer("a", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor b = up(peer("b", "198.51.100.2", 65020).build(), "198.51.100.1", "198.51.100.2");
        transport.runPending();
        a.clear();
        b.clear();

        a.send(announce(P1, 65010));
        transport.runPending();

        assertThat(a.updates())
                .as("split horizon: not back to where it came from")
                .isEmpty();
        Update sent = b.updates().getFirst();
        assertThat(sent.nlri()).containsExactly(P1);
        assertThat(sent.attribute(PathAttribute.AsPath.class).orElseThrow().flatten())
                .containsExactly(OUR_AS, 65010L);
        assertThat(sent.attribute(PathAttribute.NextHop.class).orElseThrow().address())
                .containsExactly(198, 51, 100, 1);
        assertThat(speaker.peer("b").orElseThrow().prefixesAdvertised()).isEqualTo(1);

        a.send(withdrawal(P1));
        transport.runPending();
        assertThat(b.updates().getLast().withdrawn()).containsExactly(P1);
        assertThat(speaker.peer("b").orElseThrow().prefixesAdvertised()).isZero();
    }

    @Test
    void twoRoutersWithEqualPathsAreForwardedOverTogetherAndEachWithdrawalIsTold() {
        List<List<MultipathChange>> multipath = new ArrayList<>();
        speaker.originate(P2, List.of());
        ScriptedNeighbor a = up(peer("a", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor b = up(peer("b", "192.0.2.3", 65010).build(), "192.0.2.1", "192.0.2.3");
        transport.runPending();
        a.send(announce(P1, 65010));
        transport.runPending();

        speaker.subscribeMultipath(multipath::add);
        assertThat(multipath.getFirst())
                .as("the first call holds the whole table; our own route is forwarded by nobody")
                .containsExactlyInAnyOrder(
                        new MultipathChange(
                                P1,
                                speaker.bestRoutesWithSource().stream()
                                        .filter(r -> r.prefix().equals(P1))
                                        .toList()),
                        new MultipathChange(P2, List.of()));

        int bestEvents = routeEvents.size();
        b.send(announce(P1, 65010));
        transport.runPending();
        assertThat(routeEvents)
                .as("an equal path from b leaves the best path as it was")
                .hasSize(bestEvents);
        assertThat(multipath.getLast()).hasSize(1);
        assertThat(multipath.getLast().getFirst().paths())
                .extracting(BestRoute::from)
                .containsExactly("a", "b");

        a.send(withdrawal(P1));
        transport.runPending();
        assertThat(multipath.getLast().getFirst().paths())
                .extracting(BestRoute::from)
                .containsExactly("b");

        b.send(new Notification(Notification.CEASE, Notification.CEASE_ADMIN_RESET, new byte[0]));
        transport.runPending();
        assertThat(multipath.getLast()).containsExactly(new MultipathChange(P1, List.of()));
    }

    @Test
    void aLongerAsPathIsNotForwardedOverBesideTheBest() {
        List<List<MultipathChange>> multipath = new ArrayList<>();
        speaker.subscribeMultipath(multipath::add);
        ScriptedNeighbor a = up(peer("a", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor b = up(peer("b", "192.0.2.3", 65010).build(), "192.0.2.1", "192.0.2.3");
        transport.runPending();
        a.send(announce(P1, 65010));
        b.send(announce(P1, 65010, 65099));
        transport.runPending();
        assertThat(multipath.getLast().getLast().paths())
                .extracting(BestRoute::from)
                .containsExactly("a");
    }

    /** {@link TestRoutes#announce} of {@code p} with {@code extra} attributes. */
    private static Update announceWith(Prefix p, PathAttribute... extra) {
        Update u = announce(p, 65010);
        List<PathAttribute> attrs = new ArrayList<>(u.attributes());
        attrs.addAll(List.of(extra));
        return new Update(List.of(), attrs, u.nlri());
    }

    /** A Tunnel Encapsulation attribute whose one Tunnel TLV claims 65,535 octets: the 2023 FRR CVE class. */
    private static final PathAttribute CORRUPT_TUNNEL_ENCAPSULATION =
            new PathAttribute.Unknown(0xC0, 23, new byte[] {0, 7, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});

    /** A well-formed Tunnel Encapsulation attribute: VXLAN with one empty sub-TLV. */
    private static final PathAttribute TUNNEL_ENCAPSULATION =
            new PathAttribute.Unknown(0xC0, 23, new byte[] {0, 8, 0, 2, 4, 0});

    @Test
    void aMalformedTransitiveAttributeFromOnePeerNeverReachesAnotherPeer() {
        ScriptedNeighbor a = up(peer("a", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor b = up(peer("b", "198.51.100.2", 65020).build(), "198.51.100.1", "198.51.100.2");
        transport.runPending();
        b.clear();

        a.send(announceWith(P1, CORRUPT_TUNNEL_ENCAPSULATION, new PathAttribute.Unknown(0xC0, 99, new byte[] {1})));
        transport.runPending();

        Update sent = b.updates().getFirst();
        assertThat(sent.nlri()).as("the route itself is kept").containsExactly(P1);
        assertThat(sent.attributes())
                .as("neither attribute is relayed by default")
                .noneMatch(x -> x.type() == 23 || x.type() == 99);
        assertThat(b.repairs()).isEmpty();
        assertThat(b.notifications()).isEmpty();
        assertThat(speaker.peer("a").orElseThrow().attributeDrops())
                .containsOnly(
                        Map.entry(
                                new AttributeDrop(23, AttributeDrop.Action.DISCARD, AttributeDrop.Cause.SCREENED), 1L),
                        Map.entry(
                                new AttributeDrop(99, AttributeDrop.Action.DISCARD, AttributeDrop.Cause.SCREENED), 1L));
    }

    @Test
    void aRelayedAttributeIsCheckedFirstSoAMalformedOneWithdrawsTheRouteInsteadOfReachingAnotherPeer() {
        AttributeScreen relayTunnels = new AttributeScreen(Map.of(23, AttributeScreen.Action.RELAY));
        ScriptedNeighbor a =
                up(peer("a", "192.0.2.2", 65010).attributeScreen(relayTunnels).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor b = up(peer("b", "198.51.100.2", 65020).build(), "198.51.100.1", "198.51.100.2");
        transport.runPending();
        b.clear();

        a.send(announceWith(P1, TUNNEL_ENCAPSULATION));
        transport.runPending();
        assertThat(b.updates().getFirst().attributes())
                .as("well-formed and asked for: relayed with the Partial bit")
                .contains(new PathAttribute.Unknown(0xE0, 23, new byte[] {0, 8, 0, 2, 4, 0}));

        b.clear();
        a.send(announceWith(P1, CORRUPT_TUNNEL_ENCAPSULATION));
        transport.runPending();
        assertThat(b.updates())
                .as("the route is withdrawn toward b, never re-sent with the corrupt attribute")
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.withdrawn()).containsExactly(P1);
                    assertThat(u.nlri()).isEmpty();
                });
        assertThat(b.repairs()).isEmpty();
        PeerStatus status = speaker.peer("a").orElseThrow();
        assertThat(status.attributeDrops())
                .containsExactly(Map.entry(
                        new AttributeDrop(23, AttributeDrop.Action.TREAT_AS_WITHDRAW, AttributeDrop.Cause.MALFORMED),
                        1L));
        assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("TUNNEL_ENCAPSULATION"));
        assertThat(status.state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void anOperatorsDiscardAndTreatAsWithdrawApplyToWellFormedAttributes() {
        AttributeScreen screen = new AttributeScreen(Map.of(
                PathAttribute.COMMUNITIES, AttributeScreen.Action.DISCARD,
                PathAttribute.LARGE_COMMUNITIES, AttributeScreen.Action.TREAT_AS_WITHDRAW));
        ScriptedNeighbor a =
                up(peer("a", "192.0.2.2", 65010).attributeScreen(screen).build(), "192.0.2.1", "192.0.2.2");

        a.send(announceWith(P1, new PathAttribute.Communities(List.of(65010L << 16 | 1))));
        a.send(announceWith(
                P2,
                new PathAttribute.LargeCommunities(List.of(new PathAttribute.LargeCommunities.Large(65010, 1, 1)))));
        transport.runPending();

        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);
        assertThat(speaker.bestRoutes().get(P1).get(PathAttribute.Communities.class))
                .isEmpty();
        assertThat(speaker.peer("a").orElseThrow().attributeDrops())
                .containsOnly(
                        Map.entry(
                                new AttributeDrop(
                                        PathAttribute.COMMUNITIES,
                                        AttributeDrop.Action.DISCARD,
                                        AttributeDrop.Cause.SCREENED),
                                1L),
                        Map.entry(
                                new AttributeDrop(
                                        PathAttribute.LARGE_COMMUNITIES,
                                        AttributeDrop.Action.TREAT_AS_WITHDRAW,
                                        AttributeDrop.Cause.SCREENED),
                                1L));
    }

    @Test
    void oneHundredThousandCollidingIpv6PrefixesOnAnIpv4OnlySessionAreIgnored() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        List<Prefix> colliding = CollidingPrefixes.of(100_000);
        byte[] nextHop = Prefix.parse("2001:db8::2/128").address();
        for (int from = 0; from < colliding.size(); from += 200) {
            List<Prefix> batch = colliding.subList(from, Math.min(colliding.size(), from + 200));
            Update u = announce(List.of(), 65010);
            List<PathAttribute> attrs = new ArrayList<>(u.attributes());
            attrs.add(new PathAttribute.MpReachNlri(Afi.IPV6, 1, nextHop, batch));
            n.send(new Update(List.of(), attrs, List.of()));
        }
        n.send(announce(P1, 65010));
        transport.runPending();

        assertThat(speaker.bestRoutes())
                .as("RFC 4760 §7: only the negotiated family is used")
                .containsOnlyKeys(P1);
        PeerStatus st = speaker.peer("dc").orElseThrow();
        assertThat(st.state()).isEqualTo(State.ESTABLISHED);
        assertThat(st.lastError()).hasValueSatisfying(e -> assertThat(e).contains("RFC 4760"));
        assertThat(n.notifications()).isEmpty();
    }

    /** Adds the peer and brings it up with RFC 8654 extended messages on both sides. */
    private ScriptedNeighbor upExtended(PeerConfig config, String local, String routerId) {
        speaker.addPeer(config);
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial(local), config.peerAsn(), SpeakerConfig.routerId(routerId));
        n.sendOpen(List.of(
                new Capability.MultiProtocol(1, 1),
                new Capability.ExtendedMessage(),
                new Capability.FourOctetAs(config.peerAsn())));
        n.send(new Keepalive());
        assertThat(state(config.name())).isEqualTo(State.ESTABLISHED);
        return n;
    }

    @Test
    void aRouteTooLargeForOnePeersMessagesIsWithdrawnForThatPeerOnly() {
        ScriptedNeighbor a = upExtended(peer("a", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor small = up(peer("small", "198.51.100.2", 65020).build(), "198.51.100.1", "198.51.100.2");
        ScriptedNeighbor large = upExtended(peer("large", "203.0.113.2", 65030).build(), "203.0.113.1", "203.0.113.2");
        a.send(announce(P1, 65010));
        transport.runPending();
        assertThat(small.updates().getLast().nlri()).containsExactly(P1);
        small.clear();
        large.clear();

        List<Long> communities = new ArrayList<>();
        for (long i = 0; i < 4_000; i++) {
            communities.add(65010L << 16 | i);
        }
        a.send(announceWith(P1, new PathAttribute.Communities(communities)), new CodecOptions(true, true, false));
        a.send(announce(P2, 65010));
        transport.runPending();

        assertThat(small.updates())
                .as("4,000 communities do not fit 4,096 bytes: P1 is withdrawn toward this peer, P2 still comes")
                .anySatisfy(u -> assertThat(u.withdrawn()).containsExactly(P1))
                .anySatisfy(u -> assertThat(u.nlri()).containsExactly(P2))
                .noneSatisfy(u -> assertThat(u.nlri()).contains(P1));
        assertThat(large.updates())
                .as("a peer with extended messages gets the route")
                .anySatisfy(u -> {
                    assertThat(u.nlri()).containsExactly(P1);
                    assertThat(u.attribute(PathAttribute.Communities.class)
                                    .orElseThrow()
                                    .values())
                            .hasSize(4_000);
                });
        assertThat(speaker.peer("small").orElseThrow().prefixesAdvertised()).isEqualTo(1);
        assertThat(speaker.peer("small").orElseThrow().state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void aPathWithOurAsIsALoopAndIsNotUsed() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(announce(P1, 65010, OUR_AS, 65030));
        transport.runPending();
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(speaker.peer("dc").orElseThrow().prefixesReceived()).isEqualTo(1);
    }

    @Test
    void aPeerOverItsPrefixLimitIsCeasedAndStaysDown() {
        ScriptedNeighbor n = up(
                peer("dc", "192.0.2.2", 65010)
                        .maxPrefixes(1)
                        .maxPrefixWarningPercent(100)
                        .build(),
                "192.0.2.1",
                "192.0.2.2");
        n.send(announce(P1, 65010));
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow())
                .contains("reached the warning threshold of limit 1");
        assertThat(state("dc")).isEqualTo(State.ESTABLISHED);

        n.send(announce(P2, 65010));

        Notification cease = n.notifications().getLast();
        assertThat(cease.code()).isEqualTo(Notification.CEASE);
        assertThat(cease.subcode()).isEqualTo(Notification.CEASE_MAX_PREFIXES);
        assertThat(cease.data()).containsExactly(0, 1, 1, 0, 0, 0, 1);
        assertThat(n.connection.closed()).isTrue();
        assertThat(state("dc")).isEqualTo(State.IDLE);
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow())
                .contains("maximum IPV4 prefixes 1 exceeded");
        transport.advance(Duration.ofMinutes(10));
        assertThat(transport.dials())
                .as("no automatic restart after a prefix-limit Cease")
                .isEmpty();
    }

    /** A peer with a limit of one prefix and a restart time of 5 min, ceased for sending two. */
    private ScriptedNeighbor overItsLimitWithARestartTime() {
        ScriptedNeighbor n = up(
                peer("dc", "192.0.2.2", 65010)
                        .maxPrefixes(1)
                        .maxPrefixRestart(Duration.ofMinutes(5))
                        .build(),
                "192.0.2.1",
                "192.0.2.2");
        n.send(announce(P1, 65010));
        n.send(announce(P2, 65010));
        return n;
    }

    @Test
    void aPeerOverItsPrefixLimitStartsAgainAfterItsRestartTime() {
        ScriptedNeighbor n = overItsLimitWithARestartTime();
        assertThat(n.notifications().getLast().subcode()).isEqualTo(Notification.CEASE_MAX_PREFIXES);
        assertThat(state("dc")).isEqualTo(State.IDLE);
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow()).contains("starting again in PT5M");

        transport.advance(Duration.ofMinutes(4));
        assertThat(transport.dials()).as("down for the restart time").isEmpty();
        transport.advance(Duration.ofSeconds(61));
        assertThat(transport.dials()).as("dialled again once it ran out").hasSize(1);
    }

    @Test
    void aPeerRemovedWhileItWaitsOutItsPrefixLimitIsNotStartedAgain() {
        overItsLimitWithARestartTime();
        speaker.removePeer("dc");
        transport.advance(Duration.ofMinutes(10));
        assertThat(transport.dials()).isEmpty();
        assertThat(transport.pendingTimers()).as("its wait was called off").isZero();
    }

    @Test
    void gracefulRestartKeepsARestartingPeersRoutesUntilEndOfRib() {
        var config = peer("dc", "192.0.2.2", 65010).gracefulRestartSeconds(120).build();
        speaker.addPeer(config);
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        List<Capability> withGr = List.of(
                new Capability.MultiProtocol(1, 1),
                new Capability.FourOctetAs(65010),
                new Capability.GracefulRestart(false, 60, List.of(new Capability.GracefulRestart.Family(1, 1, true))));
        n.sendOpen(withGr);
        n.send(new Keepalive());
        n.send(announce(P1, 65010));
        n.send(announce(P2, 65010));

        n.connection.drop();
        assertThat(speaker.bestRoutes())
                .as("RFC 4724 §4.2: kept, stale, while the peer restarts")
                .containsOnlyKeys(P1, P2);

        transport.advance(Duration.ofSeconds(10)); // the FSM's retry dials again
        ScriptedNeighbor back =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        back.sendOpen(withGr);
        back.send(new Keepalive());
        back.send(announce(P1, 65010));
        transport.advance(Duration.ofSeconds(55)); // past the first grace period, within the hold time
        assertThat(speaker.bestRoutes())
                .as("back in time: the grace timer is off and End-of-RIB decides")
                .containsOnlyKeys(P1, P2);

        back.send(Update.endOfRib());
        assertThat(speaker.bestRoutes())
                .as("what it did not send again is swept")
                .containsOnlyKeys(P1);
    }

    /**
     * A neighbor with graceful restart ({@code restartSeconds}, forwarding kept for IPv4) that sent P1 and then lost
     * its connection without a NOTIFICATION: a restarting router, whose P1 we keep, stale.
     */
    private void restartingNeighborWithP1(int restartSeconds) {
        speaker.addPeer(
                peer("dc", "192.0.2.2", 65010).gracefulRestartSeconds(120).build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        n.sendOpen(List.of(
                new Capability.FourOctetAs(65010),
                new Capability.GracefulRestart(
                        false, restartSeconds, List.of(new Capability.GracefulRestart.Family(1, 1, true)))));
        n.send(new Keepalive());
        n.send(announce(P1, 65010));
        n.connection.drop();
    }

    @Test
    void aPeerBackWithoutItsForwardingStateLosesItsStaleRoutesAtOnce() {
        restartingNeighborWithP1(60);
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);

        transport.advance(Duration.ofSeconds(10));
        ScriptedNeighbor back =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        // RFC 4724 §4.2: the F bit clear says its forwarding did not survive: our paths through it are wrong now.
        back.sendOpen(List.of(
                new Capability.FourOctetAs(65010),
                new Capability.GracefulRestart(true, 60, List.of(new Capability.GracefulRestart.Family(1, 1, false)))));
        back.send(new Keepalive());
        assertThat(state("dc")).isEqualTo(State.ESTABLISHED);
        assertThat(speaker.bestRoutes())
                .as("swept at Established, not at End-of-RIB")
                .isEmpty();
    }

    @Test
    void theRestartTimeEndsTheGraceOfAPeerThatDoesNotComeBack() {
        restartingNeighborWithP1(30);

        transport.advance(Duration.ofSeconds(29));
        assertThat(speaker.bestRoutes()).containsOnlyKeys(P1);
        transport.advance(Duration.ofSeconds(1));
        assertThat(speaker.bestRoutes()).as("the peer's restart time ran out").isEmpty();
    }

    @Test
    void withoutGracefulRestartALostSessionTakesItsRoutes() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(announce(P1, 65010));
        n.connection.drop();
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(state("dc")).isEqualTo(State.IDLE);
    }

    @Test
    void anUnknownNeighborIsTurnedAwayAndAKnownOneIsAcceptedWithGtsm() {
        var unknown = transport.connectInbound("203.0.113.9", "192.0.2.1");
        assertThat(unknown.closed()).isTrue();

        speaker.addPeer(peer("dc", "192.0.2.2", 65010).passive(true).gtsmHops(1).build());
        var c = transport.connectInbound("192.0.2.2", "192.0.2.1");
        assertThat(c.closed()).isFalse();
        assertThat(c.gtsmHops).hasValue(1);
        assertThat(transport.dials()).as("a passive peer is never dialled").isEmpty();
        ScriptedNeighbor n = new ScriptedNeighbor(c, 65010, SpeakerConfig.routerId("192.0.2.2"));
        assertThat(n.received(Open.class)).hasSize(1);
        n.establish();
        assertThat(state("dc")).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void theWrongPeerAsIsRefusedWithBadPeerAs() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65011, SpeakerConfig.routerId("192.0.2.2"));
        n.sendOpen();
        Notification refused = n.notifications().getFirst();
        assertThat(refused.code()).isEqualTo(Notification.OPEN_MESSAGE_ERROR);
        assertThat(refused.subcode()).isEqualTo(Notification.OPEN_BAD_PEER_AS);
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow())
                .contains("peer AS 65011 but 65010 is configured");
        assertThat(state("dc")).isEqualTo(State.IDLE);
    }

    @Test
    void routeRefreshSendsTheTableAgain() {
        speaker.originate(P1, List.of());
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.clear();
        n.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        assertThat(n.updates()).hasSize(1);
        assertThat(n.updates().getFirst().nlri()).containsExactly(P1);
    }

    @Test
    void removingAPeerCeasesItsSessionAndDropsItsRoutes() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(announce(P1, 65010));
        transport.runPending();
        sessionEvents.clear();

        speaker.removePeer("dc");
        transport.runPending();

        Notification cease = n.notifications().getFirst();
        assertThat(cease.code()).isEqualTo(Notification.CEASE);
        assertThat(cease.subcode()).isEqualTo(Notification.CEASE_ADMIN_SHUTDOWN);
        assertThat(cease.shutdownCommunication()).hasValue("peer de-configured");
        assertThat(n.connection.closed()).isTrue();
        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(speaker.peers()).isEmpty();
        assertThat(sessionEvents).extracting(PeerStatus::state).containsExactly(State.IDLE);
        assertThat(routeEvents.getLast()).containsExactly(new BestRouteChange(P1, Optional.empty()));
    }

    @Test
    void aRestartLeavesGracefulPeersWithoutANotificationAndCeasesTheOthers() {
        ScriptedNeighbor graceful =
                up(peer("gr", "192.0.2.2", 65010).gracefulRestartSeconds(120).build(), "192.0.2.1", "192.0.2.2");
        ScriptedNeighbor plain = up(peer("plain", "198.51.100.2", 65020).build(), "198.51.100.1", "198.51.100.2");
        graceful.clear();
        plain.clear();

        speaker.closeForRestart();

        assertThat(graceful.notifications()).isEmpty();
        assertThat(graceful.connection.closed()).isTrue();
        assertThat(plain.notifications()).extracting(Notification::subcode).contains(Notification.CEASE_ADMIN_SHUTDOWN);
        assertThat(transport.closed).isTrue();
    }

    @Test
    void aFailingListenerDoesNotKeepTheOthersFromTheirEvents() {
        List<BestRouteChange> seen = new ArrayList<>();
        speaker.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                throw new IllegalStateException("broken listener");
            }
        });
        speaker.subscribe(new SpeakerListener() {
            @Override
            public void sessionChanged(PeerStatus status) {}

            @Override
            public void bestRoutesChanged(List<BestRouteChange> changes) {
                seen.addAll(changes);
            }
        });
        speaker.originate(P1, List.of());
        transport.runPending();
        assertThat(seen).extracting(BestRouteChange::prefix).containsExactly(P1);
        assertThat(seen.getFirst().best().orElseThrow().from()).isEqualTo("local");
    }

    @Test
    void aFailedDialIsReportedAndRetriedAfterTheConnectRetryTime() {
        FsmTimers t = FsmTimers.defaults();
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).build());
        transport.failDial("connection refused");
        assertThat(speaker.peer("dc").orElseThrow().lastError().orElseThrow())
                .isEqualTo("connect to 192.0.2.2: connection refused");
        assertThat(state("dc")).isEqualTo(State.ACTIVE);
        transport.advance(t.connectRetry());
        assertThat(transport.dials()).hasSize(1);
    }
}
