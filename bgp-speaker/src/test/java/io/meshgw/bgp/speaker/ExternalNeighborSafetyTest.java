package io.meshgw.bgp.speaker;

import static io.meshgw.bgp.speaker.TestRoutes.announce;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.fsm.State;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.wire.Capability;
import io.meshgw.bgp.wire.Keepalive;
import io.meshgw.bgp.wire.Notification;
import io.meshgw.bgp.wire.Open;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.PathAttribute.Segment;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.RouteRefresh;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an external neighbor sends that must not be used or passed on: paths that do not start with its AS, empty or
 * confederation paths, route leaks by RFC 9234 roles; and the role negotiation itself.
 */
class ExternalNeighborSafetyTest {

    private static final long OUR_AS = 65000;
    private static final long OUR_ID = SpeakerConfig.routerId("192.0.2.1");
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix DEFAULT = Prefix.parse("0.0.0.0/0");

    private final FakeTransport transport = new FakeTransport();
    private BgpSpeaker speaker;

    @BeforeEach
    void start() {
        speaker = BgpSpeaker.start(new SpeakerConfig(OUR_AS, OUR_ID, null, 179), transport);
    }

    private static PeerConfig.Builder peer(String name, String address, long asn) {
        return PeerConfig.builder(name, InetAddress.ofLiteral(address), asn).exportPolicy(Policy.acceptAll());
    }

    private ScriptedNeighbor up(PeerConfig config, String local, String routerId) {
        return up(config, local, routerId, List.of());
    }

    /** Brings the session up with a neighbor whose OPEN also carries {@code extra} capabilities. */
    private ScriptedNeighbor up(PeerConfig config, String local, String routerId, List<Capability> extra) {
        speaker.addPeer(config);
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial(local), config.peerAsn(), SpeakerConfig.routerId(routerId));
        n.sendOpen(openCapabilities(config.peerAsn(), extra));
        n.send(new Keepalive());
        assertThat(speaker.peer(config.name()).orElseThrow().state()).isEqualTo(State.ESTABLISHED);
        transport.runPending();
        n.clear();
        return n;
    }

    private static List<Capability> openCapabilities(long asn, List<Capability> extra) {
        List<Capability> caps = new ArrayList<>(List.of(
                new Capability.MultiProtocol(1, 1),
                new Capability.RouteRefreshCapability(),
                new Capability.FourOctetAs(asn)));
        caps.addAll(extra);
        return caps;
    }

    private static Update withPath(Prefix p, List<Segment> segments, PathAttribute... more) {
        List<PathAttribute> attrs = new ArrayList<>(List.of(
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(segments),
                new PathAttribute.NextHop(new byte[] {(byte) 192, 0, 2, (byte) 200})));
        attrs.addAll(List.of(more));
        return new Update(List.of(), attrs, List.of(p));
    }

    private static Update withOtc(Prefix p, long otc, long... path) {
        Update u = announce(p, path);
        List<PathAttribute> attrs = new ArrayList<>(u.attributes());
        attrs.add(new PathAttribute.OnlyToCustomer(otc));
        return new Update(List.of(), attrs, u.nlri());
    }

    private PeerStatus status(String name) {
        return speaker.peer(name).orElseThrow();
    }

    // ---- RFC 4271 §6.3 first AS, RFC 5065 §5 confederation segments

    @Test
    void ebgpPathWhoseFirstAsIsNotThePeerIsWithdrawn() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(announce(P1, 65010, 65030));
        transport.runPending();
        assertThat(speaker.bestRoutes()).hasSize(1);

        // the same prefix again, now claiming to come straight from AS 65030
        n.send(announce(P1, 65030));
        transport.runPending();

        assertThat(speaker.bestRoutes())
                .as("treat-as-withdraw: the earlier route is gone too")
                .isEmpty();
        assertThat(status("dc").state()).as("no session reset").isEqualTo(State.ESTABLISHED);
        assertThat(status("dc").lastError().orElseThrow()).contains("starts with AS 65030, not the peer's AS");
    }

    @Test
    void emptyAsPathFromAnEbgpPeerIsWithdrawn() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(withPath(DEFAULT, List.of()));
        transport.runPending();

        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(status("dc").lastError().orElseThrow()).contains("empty AS_PATH from external peer AS 65010");
    }

    @Test
    void ebgpPathStartingWithAnAsSetIsWithdrawn() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(withPath(P1, List.of(new Segment(Segment.AS_SET, List.of(65010L, 65030L)))));
        transport.runPending();

        assertThat(speaker.bestRoutes()).isEmpty();
    }

    @Test
    void confederationSegmentFromEbgpPeerIsTreatAsWithdraw() {
        ScriptedNeighbor n = up(peer("dc", "192.0.2.2", 65010).build(), "192.0.2.1", "192.0.2.2");
        n.send(withPath(
                P1,
                List.of(
                        new Segment(Segment.AS_SEQUENCE, List.of(65010L)),
                        new Segment(Segment.AS_CONFED_SEQUENCE, List.of(64512L)))));
        n.send(withPath(
                Prefix.parse("10.2.0.0/16"),
                List.of(
                        new Segment(Segment.AS_SEQUENCE, List.of(65010L)),
                        new Segment(Segment.AS_CONFED_SET, List.of(64512L, 64513L)))));
        transport.runPending();

        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(status("dc").state()).isEqualTo(State.ESTABLISHED);
        assertThat(status("dc").lastError().orElseThrow()).contains("confederation segment");
    }

    @Test
    void anIbgpNeighborsEmptyPathIsItsOwnRouteAndIsUsed() {
        ScriptedNeighbor n = up(peer("rr", "192.0.2.2", OUR_AS).build(), "192.0.2.1", "192.0.2.2");
        n.send(withPath(DEFAULT, List.of(), new PathAttribute.LocalPref(100)));
        transport.runPending();

        assertThat(speaker.bestRoutes()).containsOnlyKeys(DEFAULT);
    }

    @Test
    void aRouteServersPathStartsWithItsClientsAs() {
        var rs = peer("ixp-rs", "192.0.2.2", 65010).localRole(BgpRole.RS_CLIENT).build();
        ScriptedNeighbor n = up(rs, "192.0.2.1", "192.0.2.2", List.of(new Capability.Role(Capability.Role.RS)));
        n.send(announce(P1, 65030));
        n.send(withPath(Prefix.parse("10.2.0.0/16"), List.of()));
        transport.runPending();

        assertThat(speaker.bestRoutes())
                .as("RFC 7947: a route server does not prepend; an empty path is still wrong")
                .containsOnlyKeys(P1);
    }

    // ---- RFC 9234 §5 Only to Customer

    @Test
    void routeWithOtcFromCustomerIsALeak() {
        var customer =
                peer("customer", "192.0.2.2", 65010).localRole(BgpRole.PROVIDER).build();
        ScriptedNeighbor n =
                up(customer, "192.0.2.1", "192.0.2.2", List.of(new Capability.Role(Capability.Role.CUSTOMER)));
        n.send(withOtc(P1, 65099, 65010, 65099));
        transport.runPending();

        assertThat(speaker.bestRoutes()).isEmpty();
        assertThat(status("customer").routeLeaks()).isEqualTo(1);
        assertThat(status("customer").lastError().orElseThrow()).contains("route leak");
    }

    @Test
    void routeFromLateralPeerWithAnotherAsInOtcIsALeak() {
        var lateral = peer("peer", "192.0.2.2", 65010).localRole(BgpRole.PEER).build();
        ScriptedNeighbor n = up(lateral, "192.0.2.1", "192.0.2.2", List.of(new Capability.Role(Capability.Role.PEER)));
        n.send(withOtc(P1, 65099, 65010, 65099));
        n.send(withOtc(Prefix.parse("10.2.0.0/16"), 65010, 65010));
        transport.runPending();

        assertThat(speaker.bestRoutes())
                .as("OTC of the peer itself is fine")
                .containsOnlyKeys(Prefix.parse("10.2.0.0/16"));
        assertThat(status("peer").routeLeaks()).isEqualTo(1);
    }

    @Test
    void aRouteFromOneProviderNeverReachesAnotherProvider() {
        Capability provider = new Capability.Role(Capability.Role.PROVIDER);
        ScriptedNeighbor a = up(
                peer("tor-a", "192.0.2.2", 65010).localRole(BgpRole.CUSTOMER).build(),
                "192.0.2.1",
                "192.0.2.2",
                List.of(provider));
        ScriptedNeighbor b = up(
                peer("tor-b", "198.51.100.2", 65020).localRole(BgpRole.CUSTOMER).build(),
                "198.51.100.1",
                "198.51.100.2",
                List.of(provider));
        ScriptedNeighbor c = up(
                peer("downstream", "203.0.113.2", 65030)
                        .localRole(BgpRole.PROVIDER)
                        .build(),
                "203.0.113.1",
                "203.0.113.2",
                List.of(new Capability.Role(Capability.Role.CUSTOMER)));

        a.send(announce(P1, 65010));
        transport.runPending();

        assertThat(speaker.bestRoutes()).hasSize(1);
        assertThat(b.updates())
                .as("marked OTC 65010 on the way in, so not sent up to a provider")
                .isEmpty();
        Update toCustomer = c.updates().getFirst();
        assertThat(toCustomer.attribute(PathAttribute.OnlyToCustomer.class))
                .as("the mark travels down to customers")
                .contains(new PathAttribute.OnlyToCustomer(65010));
    }

    @Test
    void whatWeOriginateIsMarkedWithOurAsTowardCustomersAndPeersOnly() {
        speaker.originate(P1, List.of());
        ScriptedNeighbor provider = up(
                peer("provider", "192.0.2.2", 65010).localRole(BgpRole.CUSTOMER).build(),
                "192.0.2.1",
                "192.0.2.2",
                List.of());
        ScriptedNeighbor lateral = up(
                peer("peer", "198.51.100.2", 65020).localRole(BgpRole.PEER).build(),
                "198.51.100.1",
                "198.51.100.2",
                List.of());

        // up() forgot the table sent when the session came up: ask for it again
        provider.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        lateral.send(new RouteRefresh(1, 1, RouteRefresh.NORMAL));
        transport.runPending();

        Update up = sentRoutes(provider).getFirst();
        assertThat(up.attribute(PathAttribute.OnlyToCustomer.class)).isEmpty();
        Update across = sentRoutes(lateral).getFirst();
        assertThat(across.attribute(PathAttribute.OnlyToCustomer.class))
                .contains(new PathAttribute.OnlyToCustomer(OUR_AS));
    }

    private static List<Update> sentRoutes(ScriptedNeighbor n) {
        return n.updates().stream().filter(u -> !u.nlri().isEmpty()).toList();
    }

    // ---- RFC 9234 §4 the Role capability

    @Test
    void ourOpenCarriesOurRoleTowardAnExternalNeighborOnly() {
        speaker.addPeer(
                peer("ext", "192.0.2.2", 65010).localRole(BgpRole.CUSTOMER).build());
        speaker.addPeer(
                peer("int", "198.51.100.2", OUR_AS).localRole(BgpRole.CUSTOMER).build());
        ScriptedNeighbor ext =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        ScriptedNeighbor in = new ScriptedNeighbor(
                transport.connectDial("198.51.100.1"), OUR_AS, SpeakerConfig.routerId("198.51.100.2"));

        assertThat(ext.received(Open.class).getFirst().capability(Capability.Role.class))
                .contains(new Capability.Role(Capability.Role.CUSTOMER));
        assertThat(in.received(Open.class).getFirst().capability(Capability.Role.class))
                .isEmpty();
    }

    @Test
    void aRoleMismatchIsRefusedWithRoleMismatch() {
        speaker.addPeer(
                peer("dc", "192.0.2.2", 65010).localRole(BgpRole.CUSTOMER).build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        // both claim to be the customer
        n.sendOpen(openCapabilities(65010, List.of(new Capability.Role(Capability.Role.CUSTOMER))));

        Notification refused = n.notifications().getFirst();
        assertThat(refused.code()).isEqualTo(Notification.OPEN_MESSAGE_ERROR);
        assertThat(refused.subcode()).isEqualTo(Notification.OPEN_ROLE_MISMATCH);
        assertThat(status("dc").state()).isEqualTo(State.IDLE);
        assertThat(status("dc").lastError().orElseThrow())
                .contains("peer announces BGP role customer but ours is customer, which needs provider");
    }

    @Test
    void twoDifferentRolesFromOneNeighborAreAMismatch() {
        speaker.addPeer(peer("dc", "192.0.2.2", 65010).localRole(BgpRole.PEER).build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        n.sendOpen(openCapabilities(
                65010,
                List.of(new Capability.Role(Capability.Role.PEER), new Capability.Role(Capability.Role.PROVIDER))));

        assertThat(n.notifications().getFirst().subcode()).isEqualTo(Notification.OPEN_ROLE_MISMATCH);
    }

    @Test
    void strictRoleRefusesANeighborThatAnnouncesNoRoleAndLaxRoleAcceptsIt() {
        speaker.addPeer(peer("strict", "192.0.2.2", 65010)
                .localRole(BgpRole.CUSTOMER)
                .strictRole(true)
                .build());
        ScriptedNeighbor n =
                new ScriptedNeighbor(transport.connectDial("192.0.2.1"), 65010, SpeakerConfig.routerId("192.0.2.2"));
        n.sendOpen();
        assertThat(n.notifications().getFirst().subcode()).isEqualTo(Notification.OPEN_ROLE_MISMATCH);
        assertThat(status("strict").lastError().orElseThrow()).contains("announces no BGP role");

        up(peer("lax", "198.51.100.2", 65020).localRole(BgpRole.CUSTOMER).build(), "198.51.100.1", "198.51.100.2");
        assertThat(status("lax").state()).isEqualTo(State.ESTABLISHED);
    }

    @Test
    void matchingRolesComeUp() {
        up(
                peer("dc", "192.0.2.2", 65010)
                        .localRole(BgpRole.RS_SERVER)
                        .strictRole(true)
                        .build(),
                "192.0.2.1",
                "192.0.2.2",
                List.of(new Capability.Role(Capability.Role.RS_CLIENT)));
        assertThat(status("dc").lastError()).isEqualTo(Optional.empty());
    }
}
