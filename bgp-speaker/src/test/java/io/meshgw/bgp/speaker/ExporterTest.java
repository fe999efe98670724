package io.meshgw.bgp.speaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.policy.Action;
import io.meshgw.bgp.policy.Condition;
import io.meshgw.bgp.policy.Policy;
import io.meshgw.bgp.policy.PrefixList;
import io.meshgw.bgp.policy.PrefixListEntry;
import io.meshgw.bgp.policy.Statement;
import io.meshgw.bgp.rib.LocRib;
import io.meshgw.bgp.rib.Path;
import io.meshgw.bgp.rib.PathRank;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExporterTest {

    private static final long OUR_AS = 65000;
    private static final int TO = 5;
    private static final int FROM_EBGP = 7;
    private static final int FROM_IBGP = 8;
    private static final Prefix V4 = Prefix.parse("10.1.0.0/16");
    private static final Prefix V6 = Prefix.parse("2001:db8:1::/48");
    private static final InetAddress LOCAL = InetAddress.ofLiteral("192.0.2.1");

    private static PeerConfig.Builder to(long asn) {
        return PeerConfig.builder("to", InetAddress.ofLiteral("192.0.2.2"), asn).exportPolicy(Policy.acceptAll());
    }

    private static Exporter up(PeerConfig config, Afi... families) {
        Exporter e = new Exporter(TO, config, OUR_AS, i -> i == FROM_IBGP);
        e.sessionUp(Optional.of(LOCAL), List.of(families));
        return e;
    }

    private static Path<RouteAttributes> path(int from, PathAttribute... attrs) {
        return new Path<>(
                from,
                new RouteAttributes(List.of(attrs)),
                new PathRank(false, 100, 1, 0, 0, 1, true, 0, 1, 1, 0),
                false);
    }

    private static Path<RouteAttributes> learned(int from) {
        return path(
                from,
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.NextHop(new byte[] {(byte) 192, 0, 2, 99}),
                new PathAttribute.LocalPref(250),
                new PathAttribute.MultiExitDisc(40),
                new PathAttribute.Communities(List.of(65010L << 16 | 7)));
    }

    @Test
    void towardAnExternalPeerOurAsGoesFirstOurAddressIsTheNextHopAndLocalPrefAndMedStayHome() {
        RouteAttributes out = up(to(65020).build(), Afi.IPV4).export(V4, learned(FROM_EBGP));

        assertThat(out.get(PathAttribute.AsPath.class).orElseThrow().flatten()).containsExactly(OUR_AS, 65010L);
        assertThat(out.get(PathAttribute.NextHop.class).orElseThrow().address()).containsExactly(192, 0, 2, 1);
        assertThat(out.get(PathAttribute.LocalPref.class)).as("RFC 4271 §5.1.5").isEmpty();
        assertThat(out.get(PathAttribute.MultiExitDisc.class))
                .as("RFC 4271 §5.1.4")
                .isEmpty();
        assertThat(out.get(PathAttribute.Communities.class))
                .as("the rest passes unchanged")
                .isPresent();
        assertThat(out.attributes())
                .filteredOn(a -> a instanceof PathAttribute.NextHop)
                .hasSize(1);
    }

    @Test
    void ourOwnMedGoesToExternalPeers() {
        var local = path(
                LocRib.LOCAL,
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(),
                new PathAttribute.MultiExitDisc(5));
        RouteAttributes out = up(to(65020).build(), Afi.IPV4).export(V4, local);
        assertThat(out.get(PathAttribute.MultiExitDisc.class).orElseThrow().value())
                .isEqualTo(5);
        assertThat(out.get(PathAttribute.AsPath.class).orElseThrow().flatten()).containsExactly(OUR_AS);
    }

    @Test
    void towardAnInternalPeerThePathIsUnchangedAndLocalPrefAndMedAreKept() {
        RouteAttributes out = up(to(OUR_AS).build(), Afi.IPV4).export(V4, learned(FROM_EBGP));

        assertThat(out.get(PathAttribute.AsPath.class).orElseThrow().flatten()).containsExactly(65010L);
        assertThat(out.get(PathAttribute.LocalPref.class).orElseThrow().value()).isEqualTo(250);
        assertThat(out.attributes())
                .filteredOn(a -> a instanceof PathAttribute.LocalPref)
                .hasSize(1);
        assertThat(out.get(PathAttribute.MultiExitDisc.class).orElseThrow().value())
                .isEqualTo(40);
        assertThat(out.get(PathAttribute.NextHop.class).orElseThrow().address()).containsExactly(192, 0, 2, 1);
    }

    @Test
    void anInternalPeerGetsTheDefaultLocalPrefWhenThePathHasNone() {
        var local = path(LocRib.LOCAL, new PathAttribute.Origin(0), PathAttribute.AsPath.sequence());
        RouteAttributes out = up(to(OUR_AS).build(), Afi.IPV4).export(V4, local);
        assertThat(out.get(PathAttribute.LocalPref.class).orElseThrow().value()).isEqualTo(100);
        assertThat(out.attributes())
                .filteredOn(a -> a instanceof PathAttribute.LocalPref)
                .hasSize(1);
    }

    @Test
    void aRouteNeverGoesBackToThePeerItCameFrom() {
        assertThat(up(to(65020).build(), Afi.IPV4).export(V4, learned(TO))).isNull();
    }

    @Test
    void internalRoutesAreNotSentToInternalPeersButToExternalOnes() {
        assertThat(up(to(OUR_AS).build(), Afi.IPV4).export(V4, learned(FROM_IBGP)))
                .as("RFC 4271 §9.2")
                .isNull();
        assertThat(up(to(65020).build(), Afi.IPV4).export(V4, learned(FROM_IBGP)))
                .isNotNull();
        assertThat(up(to(OUR_AS).build(), Afi.IPV4).export(V4, learned(FROM_EBGP)))
                .isNotNull();
    }

    @Test
    void aFamilyTheSessionDidNotNegotiateIsNotSent() {
        var config = to(65020)
                .families(Set.of(Afi.IPV4, Afi.IPV6))
                .ipv6NextHop(InetAddress.ofLiteral("2001:db8::1"))
                .build();
        Path<RouteAttributes> p6 = path(FROM_EBGP, new PathAttribute.Origin(0), PathAttribute.AsPath.sequence(65010L));
        assertThat(up(config, Afi.IPV4).export(V6, p6)).isNull();
        assertThat(up(config, Afi.IPV6).export(V4, learned(FROM_EBGP))).isNull();
        assertThat(up(config, Afi.IPV6).export(V6, p6)).isNotNull();
    }

    @Test
    void ipv6NeedsAConfiguredNextHopAndCarriesItInMpReach() {
        Path<RouteAttributes> p6 = path(
                FROM_EBGP,
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[16], List.of()));
        assertThat(up(to(65020).families(Set.of(Afi.IPV6)).build(), Afi.IPV6).export(V6, p6))
                .as("no IPv6 next hop configured")
                .isNull();

        InetAddress nh = InetAddress.ofLiteral("2001:db8::1");
        Exporter e = up(to(65020).families(Set.of(Afi.IPV6)).ipv6NextHop(nh).build(), Afi.IPV6);
        RouteAttributes out = e.export(V6, p6);
        assertThat(out.attributes())
                .as("the learned next hop is replaced, not passed on")
                .noneMatch(a -> a instanceof PathAttribute.MpReachNlri || a instanceof PathAttribute.NextHop);
        PathAttribute.MpReachNlri reach = e.ipv6Reach(List.of(V6));
        assertThat(reach.nextHop()).isEqualTo(nh.getAddress());
        assertThat(reach.nlri()).containsExactly(V6);
        assertThat(reach.afi()).isEqualTo(Afi.IPV6);
        assertThat(up(to(65020).build(), Afi.IPV4).ipv6Reach(List.of(V6))).isNull();
    }

    @Test
    void anIpv4MappedLocalAddressBecomesAFourByteNextHop() {
        Exporter e = new Exporter(TO, to(65020).build(), OUR_AS, i -> false);
        e.sessionUp(Optional.of(InetAddress.ofLiteral("::ffff:192.0.2.77")), List.of(Afi.IPV4));
        // Java already folds ::ffff:a.b.c.d to IPv4; a 16-byte address is cut to its last 4
        RouteAttributes out = e.export(V4, learned(FROM_EBGP));
        assertThat(out.get(PathAttribute.NextHop.class).orElseThrow().address()).containsExactly(192, 0, 2, 77);
    }

    @Test
    void withoutALocalAddressIpv4IsNotSent() {
        Exporter e = new Exporter(TO, to(65020).build(), OUR_AS, i -> false);
        e.sessionUp(Optional.empty(), List.of(Afi.IPV4));
        assertThat(e.export(V4, learned(FROM_EBGP))).isNull();
    }

    @Test
    void theDefaultExportPolicyRejectsEverything() {
        var config = PeerConfig.builder("to", InetAddress.ofLiteral("192.0.2.2"), 65020)
                .build();
        assertThat(up(config, Afi.IPV4).export(V4, learned(FROM_EBGP)))
                .as("RFC 8212")
                .isNull();
    }

    @Test
    void emptyAsPathFromIbgpNeverReachesAnEbgpPeer() {
        Exporter e = up(to(65020).exportPolicy(Policy.originatedOnly()).build(), Afi.IPV4);
        var fromIbgp = path(
                FROM_IBGP,
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of()),
                new PathAttribute.NextHop(new byte[] {10, 0, 0, 9}),
                new PathAttribute.LocalPref(100));

        // Toward the eBGP peer its path becomes "65000", the path of a route we originate.
        assertThat(e.export(V4, fromIbgp)).isNull();
    }

    @Test
    void iBgpDefaultRouteIsNotExportedToEbgp() {
        Exporter e = up(to(65020).exportPolicy(Policy.originatedOnly()).build(), Afi.IPV4);
        var defaultRoute = path(
                FROM_IBGP,
                new PathAttribute.Origin(0),
                new PathAttribute.AsPath(List.of()),
                new PathAttribute.NextHop(new byte[] {10, 0, 0, 9}));

        assertThat(e.export(Prefix.parse("0.0.0.0/0"), defaultRoute)).isNull();
    }

    @Test
    void whatWeOriginateIsExportedByTheOriginatedOnlyPolicy() {
        Exporter e = up(to(65020).exportPolicy(Policy.originatedOnly()).build(), Afi.IPV4);
        var ours = path(LocRib.LOCAL, new PathAttribute.Origin(0), new PathAttribute.AsPath(List.of()));

        RouteAttributes out = e.export(V4, ours);
        assertThat(out).isNotNull();
        assertThat(out.get(PathAttribute.AsPath.class).orElseThrow().flatten()).containsExactly(OUR_AS);
        assertThat(e.export(V4, learned(FROM_EBGP)))
                .as("learned from another AS")
                .isNull();
    }

    @Test
    void theExportPolicySeesTheRewrittenRouteAndItsRewritesAreSent() {
        var onlyTen = new Policy(
                "ten",
                List.of(new Statement(
                        "ten",
                        List.of(new Condition.InPrefixList(
                                new PrefixList("ten", List.of(PrefixListEntry.permit("10.0.0.0/8", 8, 32))))),
                        List.of(new Action.SetMed(77)),
                        Statement.Disposition.ACCEPT)),
                false);
        Exporter e = up(to(65020).exportPolicy(onlyTen).build(), Afi.IPV4);

        RouteAttributes out = e.export(V4, learned(FROM_EBGP));
        assertThat(out.get(PathAttribute.MultiExitDisc.class).orElseThrow().value())
                .isEqualTo(77);
        assertThat(out.get(PathAttribute.AsPath.class).orElseThrow().flatten()).containsExactly(OUR_AS, 65010L);
        assertThat(e.export(Prefix.parse("192.168.0.0/16"), learned(FROM_EBGP))).isNull();
    }

    @Test
    void thePolicyCanMatchOurPrependedAs() {
        var notViaUs = new Policy(
                "no-loop",
                List.of(new Statement(
                        "ours-first",
                        List.of(Condition.AsPathMatches.of("^65000_65010$")),
                        List.of(),
                        Statement.Disposition.REJECT)),
                true);
        assertThat(up(to(65020).exportPolicy(notViaUs).build(), Afi.IPV4).export(V4, learned(FROM_EBGP)))
                .as("the policy sees the path as the neighbor will")
                .isNull();
    }

    @Test
    void resultsAreReusedForTheSameSourceAttributesUntilTheSessionGoesDown() {
        Exporter e = up(to(65020).build(), Afi.IPV4);
        Path<RouteAttributes> p = learned(FROM_EBGP);
        RouteAttributes first = e.export(V4, p);
        assertThat(e.export(Prefix.parse("10.2.0.0/16"), p)).isSameAs(first);
        Path<RouteAttributes> other =
                path(FROM_EBGP, new PathAttribute.Origin(1), PathAttribute.AsPath.sequence(65030L));
        assertThat(e.export(V4, other)
                        .get(PathAttribute.Origin.class)
                        .orElseThrow()
                        .value())
                .as("other attributes, another result")
                .isEqualTo(1);
        assertThat(e.export(V4, learned(FROM_EBGP + 10)))
                .as("another source peer, another entry")
                .isNotSameAs(first)
                .isEqualTo(first);

        e.sessionDown();
        assertThat(e.export(V4, p)).as("no session, no families").isNull();
        e.sessionUp(Optional.of(InetAddress.ofLiteral("192.0.2.9")), List.of(Afi.IPV4));
        assertThat(e.export(V4, p)
                        .get(PathAttribute.NextHop.class)
                        .orElseThrow()
                        .address())
                .as("the next session's address, not a cached one")
                .containsExactly(192, 0, 2, 9);
    }

    @Test
    void theCacheIsBoundedAndStartsOverWhenFull() {
        Exporter e = up(to(65020).build(), Afi.IPV4);
        Path<RouteAttributes> p = learned(FROM_EBGP);
        RouteAttributes first = e.export(V4, p);
        for (int i = 0; i < 65_536; i++) {
            e.export(V4, path(FROM_EBGP, new PathAttribute.Origin(0), new PathAttribute.MultiExitDisc(i)));
        }
        assertThat(e.export(V4, p))
                .as("computed again after the cache was emptied")
                .isNotSameAs(first)
                .isEqualTo(first);
    }

    @Test
    void withAConditionalExportPolicyEachRouteIsEvaluatedAfresh() {
        var tagged = new Policy(
                "tag",
                List.of(new Statement("t", List.of(), List.of(new Action.SetMed(1)), Statement.Disposition.ACCEPT)),
                false);
        Exporter e = up(to(65020).exportPolicy(tagged).build(), Afi.IPV4);
        Path<RouteAttributes> p = learned(FROM_EBGP);
        assertThat(e.export(V4, p)).isNotSameAs(e.export(V4, p)).isEqualTo(e.export(V4, p));
    }
}
