package io.meshgw.gateway.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.speaker.RouteAttributes;
import io.meshgw.bgp.wire.Afi;
import io.meshgw.bgp.wire.PathAttribute;
import io.meshgw.gateway.api.v1.RouteView;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes as the speaker's RIB holds them, written the way the admin API shows them. */
class RouteTextTest {

    private static byte[] address(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void anIpv4RoutesNextHopIsItsNextHopAttribute() {
        var a = new RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65001L, 65010L),
                new PathAttribute.NextHop(address("192.0.2.254")),
                new PathAttribute.MultiExitDisc(20),
                new PathAttribute.LocalPref(100),
                new PathAttribute.Communities(List.of(65000L << 16 | 100, 65002L << 16 | 7))));

        assertThat(RouteText.view("10.1.0.0/16", "dc1-rr1", a))
                .isEqualTo(new RouteView(
                        "10.1.0.0/16",
                        "192.0.2.254",
                        "dc1-rr1",
                        List.of(65001L, 65010L),
                        List.of("65000:100", "65002:7"),
                        20L,
                        100L));
    }

    @Test
    void anIpv6RoutesNextHopComesFromMpReachNlriAndIsTheGlobalAddress() {
        // As the speaker stores an IPv6 route: MP_REACH_NLRI with its next hop and no NLRI.
        byte[] globalAndLinkLocal = concat(address("2001:db8::fe"), address("fe80::1"));
        var a = new RouteAttributes(List.of(
                new PathAttribute.Origin(0),
                PathAttribute.AsPath.sequence(65002L),
                new PathAttribute.MpReachNlri(Afi.IPV6, 1, globalAndLinkLocal, List.of())));

        assertThat(RouteText.nextHop(a)).contains("2001:db8::fe");
        assertThat(RouteText.nextHop(new RouteAttributes(
                        List.of(new PathAttribute.MpReachNlri(Afi.IPV6, 1, address("2001:db8::1"), List.of())))))
                .contains("2001:db8::1");
    }

    @Test
    void aRouteOriginatedHereHasNoNextHopPathMedOrLocalPref() {
        var a = new RouteAttributes(List.of(new PathAttribute.Origin(0), new PathAttribute.AsPath(List.of())));

        assertThat(RouteText.view("198.51.100.10/32", "local", a))
                .isEqualTo(new RouteView("198.51.100.10/32", null, "local", List.of(), List.of(), null, null));
    }
}
