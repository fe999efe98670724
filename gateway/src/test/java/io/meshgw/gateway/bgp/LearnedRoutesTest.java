package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.speaker.BestRoute;
import io.meshgw.bgp.speaker.MultipathChange;
import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.bgp.wire.Prefix;
import io.meshgw.types.IpAddress;
import io.meshgw.types.IpPrefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearnedRoutesTest {

    private static final Prefix P4 = Prefix.parse("192.0.2.0/24");
    private static final Prefix P6 = Prefix.parse("2001:db8:1::/48");

    private static BestRoute v4(Prefix p, String from, String nextHop) {
        return new BestRoute(
                p,
                from,
                new RouteAttributes(List.of(
                        new PathAttribute.Origin(0),
                        new PathAttribute.NextHop(IpAddress.parse(nextHop).toBytes()))));
    }

    private static BestRoute v6(Prefix p, String from, String global, String linkLocal) {
        byte[] nh = new byte[32];
        System.arraycopy(IpAddress.parse(global).toBytes(), 0, nh, 0, 16);
        System.arraycopy(IpAddress.parse(linkLocal).toBytes(), 0, nh, 16, 16);
        return new BestRoute(
                p,
                from,
                new RouteAttributes(List.of(
                        new PathAttribute.Origin(0), new PathAttribute.MpReachNlri(Afi.IPV6, 1, nh, List.of()))));
    }

    /** An IPv4 route in MP_REACH_NLRI with IPv6 next hops (RFC 8950): a global, or a link-local, or both. */
    private static BestRoute v4Over6(Prefix p, String from, String... hops) {
        byte[] nh = new byte[16 * hops.length];
        for (int i = 0; i < hops.length; i++) {
            System.arraycopy(IpAddress.parse(hops[i]).toBytes(), 0, nh, 16 * i, 16);
        }
        return new BestRoute(
                p,
                from,
                new RouteAttributes(List.of(
                        new PathAttribute.Origin(0), new PathAttribute.MpReachNlri(Afi.IPV4, 1, nh, List.of()))));
    }

    @Test
    void eachPrefixGetsItsRoutersNextHopsBestFirstAndTheLastBatchWins() {
        var wanted = LearnedRoutes.wanted(List.of(
                List.of(new MultipathChange(P4, List.of(v4(P4, "a", "10.0.0.2")))),
                List.of(
                        new MultipathChange(P4, List.of(v4(P4, "b", "10.0.0.3"), v4(P4, "a", "10.0.0.2"))),
                        new MultipathChange(P6, List.of(v6(P6, "a", "fd00::2", "fe80::2"))))));
        assertThat(wanted)
                .containsEntry(
                        IpPrefix.parse("192.0.2.0/24"),
                        List.of(IpAddress.parse("10.0.0.3"), IpAddress.parse("10.0.0.2")))
                .containsEntry(IpPrefix.parse("2001:db8:1::/48"), List.of(IpAddress.parse("fd00::2")));
    }

    @Test
    void aWithdrawnPrefixAndOneWhoseNextHopsAreUnusableAreWantedWithoutRoute() {
        var wanted = LearnedRoutes.wanted(List.of(List.of(
                new MultipathChange(P4, List.of()),
                // two paths through one next hop (a route server): one gateway
                new MultipathChange(
                        Prefix.parse("198.51.100.0/24"),
                        List.of(
                                v4(Prefix.parse("198.51.100.0/24"), "a", "10.0.0.9"),
                                v4(Prefix.parse("198.51.100.0/24"), "b", "10.0.0.9"))),
                // an IPv4 route whose only IPv6 next hop is link-local: the kernel would need the session's link
                new MultipathChange(
                        Prefix.parse("203.0.113.0/24"),
                        List.of(v4Over6(Prefix.parse("203.0.113.0/24"), "a", "fe80::2"))))));
        assertThat(wanted.get(IpPrefix.parse("192.0.2.0/24"))).isEmpty();
        assertThat(wanted.get(IpPrefix.parse("198.51.100.0/24"))).containsExactly(IpAddress.parse("10.0.0.9"));
        assertThat(wanted.get(IpPrefix.parse("203.0.113.0/24"))).isEmpty();
    }

    /**
     * Next hops the kernel could not install without a link (IPv6 link-local), or that no router forwards for: the
     * path is ignored, and a usable path beside them is still installed. Before, an IPv6 route through fe80::2 or ::
     * went to the kernel, which refused it with every change.
     */
    @Test
    void linkLocalUnspecifiedLoopbackAndMulticastNextHopsAreUnusableInEitherFamily() {
        Prefix p6 = Prefix.parse("2001:db8:2::/48");
        var wanted = LearnedRoutes.wanted(List.of(List.of(
                new MultipathChange(P6, List.of(v6(P6, "a", "fe80::2", "fe80::2"), v6(P6, "b", "::", "fe80::3"))),
                new MultipathChange(
                        p6,
                        List.of(
                                v6(p6, "a", "::1", "fe80::2"),
                                v6(p6, "b", "ff02::1", "fe80::3"),
                                v6(p6, "c", "fd00::4", "fe80::4"))),
                new MultipathChange(
                        P4,
                        List.of(
                                v4(P4, "b", "0.0.0.0"),
                                v4(P4, "c", "127.0.0.1"),
                                v4(P4, "d", "224.0.0.5"),
                                v4(P4, "e", "169.254.0.2"))))));
        assertThat(wanted.get(IpPrefix.parse("2001:db8:1::/48"))).isEmpty();
        assertThat(wanted.get(IpPrefix.parse("2001:db8:2::/48"))).containsExactly(IpAddress.parse("fd00::4"));
        assertThat(wanted.get(IpPrefix.parse("192.0.2.0/24")))
                .as("an IPv4 link-local next hop is on a link of the gateway's: a cloud interconnect's peer")
                .containsExactly(IpAddress.parse("169.254.0.2"));
    }

    @Test
    void anIpv4RouteWithAGlobalIpv6NextHopIsWantedThroughIt() {
        var wanted = LearnedRoutes.wanted(List.of(List.of(new MultipathChange(
                Prefix.parse("203.0.113.0/24"),
                List.of(
                        v4Over6(Prefix.parse("203.0.113.0/24"), "a", "fd00::2", "fe80::2"),
                        v4(Prefix.parse("203.0.113.0/24"), "b", "10.0.0.3"))))));
        assertThat(wanted.get(IpPrefix.parse("203.0.113.0/24")))
                .as("RFC 8950: the kernel installs an IPv4 route via inet6")
                .containsExactly(IpAddress.parse("fd00::2"), IpAddress.parse("10.0.0.3"));
    }
}
