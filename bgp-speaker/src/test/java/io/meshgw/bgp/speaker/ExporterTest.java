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
    /** A host whose interfaces hold no other address than the session's. */
    static final SessionNextHops.Interfaces NO_INTERFACES = a -> Optional.empty();

    private static PeerConfig.Builder to(long asn) {
        return PeerConfig.builder("to", InetAddress.ofLiteral("192.0.2.2"), asn).exportPolicy(Policy.acceptAll());
    }

    private static Exporter up(PeerConfig config, Afi... families) {
        Exporter e = new Exporter(TO, config, OUR_AS, i -> i == FROM_IBGP, NO_INTERFACES);
        e.sessionUp(Optional.of(LOCAL), List.of(families), false);
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
    void ipv6OverAnIpv4SessionNeedsAConfiguredNextHopAndCarriesItInMpReach() {
        Path<RouteAttributes> p6 = path(
                FROM_EBGP,
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65010L),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, new byte[16], List.of()));
        Exporter without = up(to(65020).families(Set.of(Afi.IPV6)).build(), Afi.IPV6);
        assertThat(without.export(V6, p6)).as("no IPv6 next hop known").isNull();
        assertThat(without.withheld()).containsOnlyKeys(Afi.IPV6);

        InetAddress nh = InetAddress.ofLiteral("2001:db8::1");
        Exporter e = up(to(65020).families(Set.of(Afi.IPV6)).ipv6NextHop(nh).build(), Afi.IPV6);
        RouteAttributes out = e.export(V6, p6);
        assertThat(out.attributes())
                .as("the learned next hop is replaced, not passed on")
                .noneMatch(a -> a instanceof PathAttribute.NextHop);
        PathAttribute.MpReachNlri reach =
                out.get(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(reach.nextHop()).isEqualTo(nh.getAddress());
        assertThat(reach.nlri()).as("filled in by the UPDATE").isEmpty();
        assertThat(reach.afi()).isEqualTo(Afi.IPV6);
        assertThat(e.withheld()).isEmpty();
    }

    private static final Path<RouteAttributes> ORIGINATED6 =
            path(io.meshgw.bgp.rib.LocRib.LOCAL, new PathAttribute.Origin(0), new PathAttribute.AsPath(List.of()));

    private static Exporter upOver(String local, PeerConfig config, SessionNextHops.Interfaces nics, Afi... families) {
        return upOver(local, config, nics, false, families);
    }

    private static Exporter upOver(
            String local,
            PeerConfig config,
            SessionNextHops.Interfaces nics,
            boolean extendedNextHop,
            Afi... families) {
        Exporter e = new Exporter(TO, config, OUR_AS, i -> false, nics);
        e.sessionUp(Optional.of(InetAddress.ofLiteral(local)), List.of(families), extendedNextHop);
        return e;
    }

    /** One interface, eth1, holding {@code addresses}. */
    private static SessionNextHops.Interfaces eth1(String... addresses) {
        List<InetAddress> all =
                java.util.Arrays.stream(addresses).map(InetAddress::ofLiteral).toList();
        return a -> Optional.of(new SessionNextHops.Interfaces.Interface("eth1", all));
    }

    private static byte[] mpNextHop(RouteAttributes out, Afi family) {
        PathAttribute.MpReachNlri reach =
                out.get(PathAttribute.MpReachNlri.class).orElseThrow();
        assertThat(reach.afi()).isEqualTo(family);
        return reach.nextHop();
    }

    @Test
    void ipv6OverAnIpv6SessionTakesTheSessionsOwnGlobalAddress() {
        var config = to(65020).families(Set.of(Afi.IPV6)).build();
        RouteAttributes out =
                upOver("2001:db8::5", config, NO_INTERFACES, Afi.IPV6).export(V6, ORIGINATED6);
        assertThat(mpNextHop(out, Afi.IPV6))
                .isEqualTo(InetAddress.ofLiteral("2001:db8::5").getAddress());
    }

    @Test
    void aConfiguredIpv6NextHopOverridesTheSessionsAddress() {
        var config = to(65020)
                .families(Set.of(Afi.IPV6))
                .ipv6NextHop(InetAddress.ofLiteral("2001:db8:f::1"))
                .build();
        RouteAttributes out =
                upOver("2001:db8::5", config, eth1("2001:db8::5"), Afi.IPV6).export(V6, ORIGINATED6);
        assertThat(mpNextHop(out, Afi.IPV6))
                .isEqualTo(InetAddress.ofLiteral("2001:db8:f::1").getAddress());
    }

    @Test
    void ipv6OverAnIpv4SessionTakesTheLowestGlobalAddressOfItsInterface() {
        var config = to(65020).families(Set.of(Afi.IPV4, Afi.IPV6)).build();
        var nics = eth1("192.0.2.1", "fe80::1", "2001:db8::9", "2001:db8::3", "::1");
        RouteAttributes out =
                upOver("192.0.2.1", config, nics, Afi.IPV4, Afi.IPV6).export(V6, ORIGINATED6);
        assertThat(mpNextHop(out, Afi.IPV6))
                .as("a global address, never the link-local or loopback one")
                .isEqualTo(InetAddress.ofLiteral("2001:db8::3").getAddress());
    }

    @Test
    void aLinkLocalSessionSendsTheGlobalThenTheLinkLocalNextHop() {
        var config = to(65020).families(Set.of(Afi.IPV6)).build();
        var nics = eth1("fe80::a:1", "2001:db8::7");
        RouteAttributes out = upOver("fe80::a:1", config, nics, Afi.IPV6).export(V6, ORIGINATED6);
        byte[] nh = mpNextHop(out, Afi.IPV6);
        assertThat(nh).as("RFC 2545 §3: global and link-local, 32 bytes").hasSize(32);
        assertThat(java.util.Arrays.copyOfRange(nh, 0, 16))
                .isEqualTo(InetAddress.ofLiteral("2001:db8::7").getAddress());
        assertThat(java.util.Arrays.copyOfRange(nh, 16, 32))
                .isEqualTo(InetAddress.ofLiteral("fe80::a:1").getAddress());
    }

    @Test
    void aLinkLocalSessionWithoutAGlobalAddressAnnouncesNoIpv6AndSaysWhy() {
        var config = to(65020).families(Set.of(Afi.IPV6)).build();
        Exporter e = upOver("fe80::a:1", config, eth1("fe80::a:1"), Afi.IPV6);
        assertThat(e.export(V6, ORIGINATED6))
                .as("RFC 2545: the global next hop is mandatory")
                .isNull();
        assertThat(e.withheld().get(Afi.IPV6)).contains("eth1").contains("ipv6NextHop");
    }

    @Test
    void ipv4OverAnIpv6SessionIsNeverTheTailOfTheIpv6Address() {
        var config = to(65020).families(Set.of(Afi.IPV4)).build();
        Exporter bare = upOver("2001:db8::c000:201", config, NO_INTERFACES, Afi.IPV4);
        assertThat(bare.export(V4, learned(FROM_EBGP)))
                .as("not 192.0.2.1, the last four bytes of an IPv6 address")
                .isNull();
        assertThat(bare.withheld()).containsOnlyKeys(Afi.IPV4);

        Exporter withV4 = upOver("2001:db8::c000:201", config, eth1("2001:db8::c000:201", "10.0.0.7"), Afi.IPV4);
        assertThat(withV4.export(V4, learned(FROM_EBGP))
                        .get(PathAttribute.NextHop.class)
                        .orElseThrow()
                        .address())
                .as("the IPv4 address of the session's interface")
                .containsExactly(10, 0, 0, 7);
    }

    @Test
    void withRfc8950Ipv4OverAnIpv6SessionCarriesTheIpv6NextHopInMpReach() {
        var config = to(65020).families(Set.of(Afi.IPV4)).extendedNextHop(true).build();
        Exporter e = upOver("2001:db8::5", config, NO_INTERFACES, true, Afi.IPV4);
        RouteAttributes out = e.export(V4, learned(FROM_EBGP));
        assertThat(out.get(PathAttribute.NextHop.class)).isEmpty();
        assertThat(mpNextHop(out, Afi.IPV4))
                .isEqualTo(InetAddress.ofLiteral("2001:db8::5").getAddress());
        assertThat(e.ipv4InMpReach()).isTrue();
        assertThat(e.withheld()).isEmpty();

        Exporter overIpv4 = upOver("192.0.2.1", config, NO_INTERFACES, true, Afi.IPV4);
        assertThat(overIpv4.export(V4, learned(FROM_EBGP)).get(PathAttribute.NextHop.class))
                .as("an IPv4 session keeps the plain NEXT_HOP")
                .isPresent();
        assertThat(overIpv4.ipv4InMpReach()).isFalse();
    }

    @Test
    void anIpv4MappedLocalAddressBecomesAFourByteNextHop() {
        Exporter e = new Exporter(TO, to(65020).build(), OUR_AS, i -> false, NO_INTERFACES);
        e.sessionUp(Optional.of(InetAddress.ofLiteral("::ffff:192.0.2.77")), List.of(Afi.IPV4), false);
        // Java already folds ::ffff:a.b.c.d to IPv4
        RouteAttributes out = e.export(V4, learned(FROM_EBGP));
        assertThat(out.get(PathAttribute.NextHop.class).orElseThrow().address()).containsExactly(192, 0, 2, 77);
    }

    @Test
    void withoutALocalAddressIpv4IsNotSent() {
        Exporter e = new Exporter(TO, to(65020).build(), OUR_AS, i -> false, NO_INTERFACES);
        e.sessionUp(Optional.empty(), List.of(Afi.IPV4), false);
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
        e.sessionUp(Optional.of(InetAddress.ofLiteral("192.0.2.9")), List.of(Afi.IPV4), false);
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
