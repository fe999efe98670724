package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.policy.Action;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.bgp.rib.BestPathChange;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.bgp.wire.Update;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdjRibInTest {

    private static final long OUR_AS = 65000;
    private static final int PEER = 3;
    private static final long ROUTER_ID = 0x0A000002L;
    private static final Prefix P1 = Prefix.parse("10.1.0.0/16");
    private static final Prefix P2 = Prefix.parse("10.2.0.0/16");
    private static final Prefix P3 = Prefix.parse("10.3.0.0/16");
    private static final Prefix V6 = Prefix.parse("2001:db8:1::/48");

    private final LocRib<Prefix, RouteAttributes> rib = AdjRibIn.locRib();
    private final List<BestPathChange<Prefix, RouteAttributes>> changes = new ArrayList<>();

    private static PeerConfig.Builder peer(long asn) {
        return PeerConfig.builder("dc", InetAddress.ofLiteral("192.0.2.2"), asn);
    }

    private AdjRibIn ribIn(PeerConfig config) {
        return new AdjRibIn(PEER, config, OUR_AS, rib, changes::add);
    }

    private static List<PathAttribute> attrs(Long... path) {
        return List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(path),
                new PathAttribute.NextHop(new byte[] {(byte) 192, 0, 2, 2}));
    }

    private static Update announce(List<PathAttribute> attrs, Prefix... prefixes) {
        return new Update(List.of(), attrs, List.of(prefixes));
    }

    private static Update withdraw(Prefix... prefixes) {
        return new Update(List.of(prefixes), List.of(), List.of());
    }

    @Test
    void anAnnouncementIsAcceptedRankedAndReported() {
        AdjRibIn in = ribIn(peer(65010).build());
        assertThat(in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID)).isEmpty();

        assertThat(in.postPolicy()).containsOnlyKeys(P1, P2);
        assertThat(in.accepted()).isEqualTo(2);
        assertThat(in.received()).isEqualTo(2);
        assertThat(changes).extracting(BestPathChange::destination).containsExactly(P1, P2);
        var best = rib.best(P1).orElseThrow();
        assertThat(best.peer()).isEqualTo(PEER);
        PathRank rank = best.rank();
        assertThat(rank.ebgp()).isTrue();
        assertThat(rank.routerId()).isEqualTo(ROUTER_ID);
        assertThat(rank.locallyOriginated()).isFalse();
        assertThat(rank.peerAddress()).isEqualTo(0xC0000202L);
        assertThat(rib.best(P2).orElseThrow().attributes())
                .as("one attribute object for the whole UPDATE")
                .isSameAs(best.attributes());
    }

    @Test
    void anIpv4RouteInMpReachKeepsItsNextHop() {
        AdjRibIn in = ribIn(peer(65010).families(Set.of(Afi.IPV4, Afi.IPV6)).build());
        in.negotiated(Set.of(Afi.IPV4, Afi.IPV6));
        byte[] v6NextHop = InetAddress.ofLiteral("2001:db8::2").getAddress();
        // RFC 8950: an IPv4 route with an IPv6 next hop travels in MP_REACH_NLRI, without NEXT_HOP
        in.apply(
                new Update(
                        List.of(),
                        List.of(
                                new PathAttribute.Origin(0),
                                PathAttribute.AsPath.sequence(65010L),
                                new PathAttribute.MpReachNlri(Afi.IPV4, 1, v6NextHop, List.of(P1))),
                        List.of(P2)),
                false,
                ROUTER_ID);
        var reach = rib.best(P1).orElseThrow().attributes().get(PathAttribute.MpReachNlri.class);
        assertThat(reach).as("the next hop of an IPv4 route from MP_REACH_NLRI").isPresent();
        assertThat(reach.get().afi()).isEqualTo(Afi.IPV4);
        assertThat(reach.get().nextHop()).isEqualTo(v6NextHop);
        assertThat(rib.best(P2).orElseThrow().attributes().get(PathAttribute.MpReachNlri.class))
                .as("the UPDATE's own NLRI have no MP next hop")
                .isEmpty();
    }

    @Test
    void anInternalPeersPathsAreRankedAsInternal() {
        AdjRibIn in = ribIn(peer(OUR_AS).build());
        in.apply(announce(attrs(), P1), false, ROUTER_ID);
        assertThat(rib.best(P1).orElseThrow().rank().ebgp()).isFalse();
        assertThat(rib.best(P1).orElseThrow().rank().neighborAs())
                .as("an empty AS_PATH: the neighbor AS is the peer's")
                .isEqualTo(OUR_AS);
    }

    @Test
    void aPathHoldingOurAsIsALoopAndReplacesNothing() {
        AdjRibIn in = ribIn(peer(65010).build());
        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        changes.clear();

        in.apply(announce(attrs(65010L, 65020L, OUR_AS), P1, P2), false, ROUTER_ID);

        assertThat(in.postPolicy())
                .as("RFC 4271 §9.1.2: the looped path withdraws the old one")
                .isEmpty();
        assertThat(changes).extracting(BestPathChange::destination).containsExactly(P1);
        assertThat(in.received()).isEqualTo(3);
    }

    @Test
    void treatAsWithdrawRemovesWhatWasAnnounced() {
        AdjRibIn in = ribIn(peer(65010).build());
        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);

        in.apply(announce(attrs(65010L), P1), true, ROUTER_ID);

        assertThat(in.postPolicy()).as("RFC 7606 §2").containsOnlyKeys(P2);
    }

    @Test
    void withdrawalsRemoveIpv4AndMpUnreachRemovesIpv6() {
        AdjRibIn in = ribIn(peer(65010).families(Set.of(Afi.IPV4, Afi.IPV6)).build());
        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);
        List<PathAttribute> v6 = new ArrayList<>(attrs(65010L));
        byte[] nh = InetAddress.ofLiteral("2001:db8::2").getAddress();
        v6.add(new PathAttribute.MpReachNlri(Afi.IPV6, 1, nh, List.of(V6)));
        in.apply(new Update(List.of(), v6, List.of()), false, ROUTER_ID);
        assertThat(in.postPolicy()).containsOnlyKeys(P1, P2, V6);
        RouteAttributes v6Attrs = in.postPolicy().get(V6);
        PathAttribute.MpReachNlri kept =
                v6Attrs.get(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(kept.nextHop()).as("the IPv6 next hop is kept with the path").isEqualTo(nh);
        assertThat(kept.nlri()).as("but not the prefixes").isEmpty();

        in.apply(withdraw(P1), false, ROUTER_ID);
        in.apply(
                new Update(List.of(), List.of(new PathAttribute.MpUnreachNlri(Afi.IPV6, 1, List.of(V6))), List.of()),
                false,
                ROUTER_ID);
        assertThat(in.postPolicy()).containsOnlyKeys(P2);
    }

    @Test
    void importPolicyRejectsAndRewritesAndThePrePolicyRibKeepsWhatWasSent() {
        var policy = new Policy(
                "import",
                List.of(
                        new Statement(
                                "drop-10.2",
                                List.of(new Condition.InPrefixList(
                                        new PrefixList("l", List.of(PrefixListEntry.permit("10.2.0.0/16"))))),
                                List.of(),
                                Statement.Disposition.REJECT),
                        new Statement(
                                "prefer",
                                List.of(),
                                List.of(new Action.SetLocalPref(300)),
                                Statement.Disposition.ACCEPT)),
                false);
        AdjRibIn in = ribIn(peer(65010).importPolicy(policy).keepPrePolicy(true).build());

        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);

        assertThat(in.prePolicy()).containsOnlyKeys(P1, P2);
        assertThat(in.prePolicy().get(P1).get(PathAttribute.LocalPref.class)).isEmpty();
        assertThat(in.postPolicy()).containsOnlyKeys(P1);
        assertThat(in.postPolicy()
                        .get(P1)
                        .get(PathAttribute.LocalPref.class)
                        .orElseThrow()
                        .value())
                .isEqualTo(300);
        assertThat(rib.best(P1).orElseThrow().rank().localPref())
                .as("ranked after the rewrite")
                .isEqualTo(300);

        in.apply(withdraw(P1), false, ROUTER_ID);
        assertThat(in.prePolicy()).containsOnlyKeys(P2);
        in.sessionDown();
        assertThat(in.prePolicy()).as("a returning peer sends everything again").isEmpty();
    }

    @Test
    void thePrePolicyRibIsEmptyUnlessKept() {
        AdjRibIn in = ribIn(peer(65010).build());
        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        assertThat(in.prePolicy()).isEmpty();
    }

    @Test
    void aRejectAllImportPolicyAcceptsNothingAndWithdrawsWhatWasThere() {
        AdjRibIn in = ribIn(peer(65010).importPolicy(Policy.rejectAll()).build());
        rib.update(
                PEER,
                P1,
                new RouteAttributes(attrs(65010L)),
                new PathRank(false, 100, 1, 0, 0, 65010, true, 0, 1, 1, 0));
        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);
        assertThat(in.postPolicy()).isEmpty();
        assertThat(in.received()).isEqualTo(2);
    }

    @Test
    void staleRoutesStayUntilEndOfRibAndOnlyTheOnesNotSentAgainGo() {
        AdjRibIn in = ribIn(peer(65010).build());
        in.apply(announce(attrs(65010L), P1, P2, P3), false, ROUTER_ID);
        in.markStale();
        assertThat(rib.best(P1).orElseThrow().stale()).isTrue();

        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        assertThat(rib.best(P1).orElseThrow().stale()).isFalse();
        assertThat(in.postPolicy()).containsOnlyKeys(P1, P2, P3);
        changes.clear();

        assertThat(in.apply(Update.endOfRib(), false, ROUTER_ID)).isEmpty();

        assertThat(in.postPolicy()).containsOnlyKeys(P1);
        assertThat(changes).extracting(BestPathChange::destination).containsExactlyInAnyOrder(P2, P3);
    }

    @Test
    void endOfRibEndsTheGraceOfItsOwnFamilyOnly() {
        // A dual-stack router back from a restart sends IPv4 and its End-of-RIB first: its IPv6 paths, stale, must
        // wait for the IPv6 End-of-RIB, not go with the IPv4 one.
        AdjRibIn in = ribIn(peer(65010).families(Set.of(Afi.IPV4, Afi.IPV6)).build());
        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);
        List<PathAttribute> v6 = new ArrayList<>(attrs(65010L));
        v6.add(new PathAttribute.MpReachNlri(
                Afi.IPV6, 1, InetAddress.ofLiteral("2001:db8::2").getAddress(), List.of(V6)));
        in.apply(new Update(List.of(), v6, List.of()), false, ROUTER_ID);
        in.markStale();

        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        in.apply(Update.endOfRib(Afi.IPV4), false, ROUTER_ID);
        assertThat(in.postPolicy())
                .as("P2 gone with IPv4's End-of-RIB, V6 kept")
                .containsOnlyKeys(P1, V6);
        assertThat(rib.best(V6).orElseThrow().stale()).isTrue();

        in.apply(Update.endOfRib(Afi.IPV6), false, ROUTER_ID);
        assertThat(in.postPolicy()).containsOnlyKeys(P1);
    }

    @Test
    void theGraceTimerSweepsAndWithdrawAllDropsEverything() {
        AdjRibIn in = ribIn(peer(65010).build());
        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);
        in.markStale();
        in.sweepStale();
        assertThat(in.postPolicy()).isEmpty();

        in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID);
        changes.clear();
        in.withdrawAll();
        assertThat(in.postPolicy()).isEmpty();
        assertThat(changes).hasSize(2);
        assertThat(in.accepted()).isZero();
    }

    @Test
    void thePrefixLimitWarnsOnceAtItsShareThenSaysExceeded() {
        AdjRibIn in =
                ribIn(peer(65010).maxPrefixes(4).maxPrefixWarningPercent(50).build());
        assertThat(in.apply(announce(attrs(65010L), P1), false, ROUTER_ID)).isEmpty();
        assertThat(in.apply(announce(attrs(65010L), P2), false, ROUTER_ID))
                .as("2 of 4 is 50%")
                .singleElement()
                .matches(c -> !c.exceeded(), "a warning");
        assertThat(in.apply(announce(attrs(65010L), P3), false, ROUTER_ID))
                .as("warned once per session")
                .isEmpty();
        assertThat(in.apply(announce(attrs(65010L), Prefix.parse("10.4.0.0/16")), false, ROUTER_ID))
                .as("4 of 4 is not over the limit")
                .isEmpty();
        assertThat(in.apply(announce(attrs(65010L), Prefix.parse("10.5.0.0/16")), false, ROUTER_ID))
                .singleElement()
                .matches(AdjRibIn.LimitCrossing::exceeded, "exceeded");

        in.sessionDown();
        in.withdrawAll();
        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        assertThat(in.apply(announce(attrs(65010L), P2), false, ROUTER_ID))
                .as("a new session is warned again")
                .singleElement()
                .matches(c -> !c.exceeded(), "a warning");
    }

    @Test
    void theLimitCountsAcceptedPathsNotAnnouncements() {
        AdjRibIn in = ribIn(peer(65010).maxPrefixes(1).build());
        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        assertThat(in.apply(announce(attrs(65010L), P1), false, ROUTER_ID))
                .as("the same prefix again is still one path")
                .noneMatch(AdjRibIn.LimitCrossing::exceeded);
        assertThat(in.apply(announce(attrs(65010L, OUR_AS), P2), false, ROUTER_ID))
                .as("a looped announcement is not accepted, so not counted")
                .isEmpty();
    }

    @Test
    void withoutALimitThereIsNoVerdict() {
        AdjRibIn in = ribIn(peer(65010).build());
        assertThat(in.apply(announce(attrs(65010L), P1, P2, P3), false, ROUTER_ID))
                .isEmpty();
    }

    @Test
    void theCeaseDataNamesTheFamilyAndTheLimit() {
        var v4 = new AdjRibIn.LimitCrossing(Afi.IPV4, 0x01020305, MaxPrefix.of(0x01020304), true);
        assertThat(v4.ceaseData()).as("RFC 4486 §4: AFI, SAFI, limit").containsExactly(0, 1, 1, 1, 2, 3, 4);
        var v6 = new AdjRibIn.LimitCrossing(Afi.IPV6, 11, MaxPrefix.of(10), true);
        assertThat(v6.ceaseData()).containsExactly(0, 2, 1, 0, 0, 0, 10);
    }

    @Test
    void eachFamilyIsCountedAgainstItsOwnLimit() {
        AdjRibIn in = ribIn(peer(65010)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .maxPrefix(Afi.IPV4, MaxPrefix.of(2))
                .maxPrefix(Afi.IPV6, MaxPrefix.of(1).withWarningPercent(100))
                .build());
        in.negotiated(Set.of(Afi.IPV4, Afi.IPV6));
        assertThat(in.apply(announce6(V6), false, ROUTER_ID))
                .as("1 of 1 IPv6 is its warning share")
                .singleElement()
                .isEqualTo(
                        new AdjRibIn.LimitCrossing(Afi.IPV6, 1, MaxPrefix.of(1).withWarningPercent(100), false));
        assertThat(in.apply(announce(attrs(65010L), P1, P2), false, ROUTER_ID))
                .as("two IPv4 routes with one IPv6 held: 3 routes, but IPv4's 2 are within its limit")
                .noneMatch(AdjRibIn.LimitCrossing::exceeded);
        assertThat(in.accepted(Afi.IPV4)).isEqualTo(2);
        assertThat(in.accepted(Afi.IPV6)).isEqualTo(1);
        assertThat(in.apply(announce6(Prefix.parse("2001:db8:2::/48")), false, ROUTER_ID))
                .singleElement()
                .isEqualTo(
                        new AdjRibIn.LimitCrossing(Afi.IPV6, 2, MaxPrefix.of(1).withWarningPercent(100), true));
    }

    @Test
    void aFamilyWithoutALimitIsNotCountedAgainstTheOther() {
        AdjRibIn in = ribIn(peer(65010)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .maxPrefix(Afi.IPV4, MaxPrefix.of(1))
                .build());
        in.negotiated(Set.of(Afi.IPV4, Afi.IPV6));
        assertThat(in.apply(announce6(V6, Prefix.parse("2001:db8:2::/48")), false, ROUTER_ID))
                .isEmpty();
        assertThat(in.apply(announce(attrs(65010L), P1), false, ROUTER_ID))
                .as("one IPv4 route of 1 allowed (warned at 90 %)")
                .noneMatch(AdjRibIn.LimitCrossing::exceeded);
    }

    private static Update announce6(Prefix... prefixes) {
        return new Update(
                List.of(),
                List.of(
                        new PathAttribute.Origin(0),
                        PathAttribute.AsPath.sequence(65010L),
                        new PathAttribute.MpReachNlri(
                                Afi.IPV6,
                                1,
                                InetAddress.ofLiteral("2001:db8::2").getAddress(),
                                List.of(prefixes))),
                List.of());
    }

    @Test
    void aRouteTheImportPolicyNowRejectsReplacesTheOneItAccepted() {
        long bad = 65010L << 16 | 666;
        var policy = new Policy(
                "no-666",
                List.of(new Statement(
                        "drop", List.of(new Condition.HasCommunity(bad)), List.of(), Statement.Disposition.REJECT)),
                true);
        AdjRibIn in = ribIn(peer(65010).importPolicy(policy).build());
        in.apply(announce(attrs(65010L), P1), false, ROUTER_ID);
        assertThat(in.postPolicy()).containsOnlyKeys(P1);

        List<PathAttribute> tagged = new ArrayList<>(attrs(65010L));
        tagged.add(new PathAttribute.Communities(List.of(bad)));
        in.apply(announce(tagged, P1), false, ROUTER_ID);

        assertThat(in.postPolicy()).isEmpty();
        assertThat(changes.getLast().now()).isEmpty();
    }
}
