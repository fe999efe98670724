package io.meshgw.bpf.fib;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.types.IpAddress;
import io.meshgw.types.IpFamily;
import io.meshgw.types.IpPrefix;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The route messages byte for byte against what iproute2 sends and the kernel dumps for the same routes, as strace
 * decodes them (iproute2 6.x, Linux 6.18): {@code ip route add 10.1.0.0/24 proto 200 metric 20 table 1000 nexthop via
 * 10.0.0.2 nexthop via 10.0.0.3}, its dump, and an IPv6 multipath route's dump. Bytes are little-endian (x86), as
 * netlink is host order.
 */
class RouteMessageTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int SEQ = 0x6B15_7003;

    private static byte[] bytes(String spaced) {
        return HEX.parseHex(spaced.replace(" ", ""));
    }

    private static String written(RouteMessage m, short type, int flags) {
        ByteBuffer out = Netlink.buffer(1024);
        m.write(out, type, flags, SEQ);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return HEX.formatHex(b);
    }

    @Test
    void anEcmpRouteInATableAboveTwoFiftyFiveIsWhatIproute2Sends() {
        RouteMessage m = RouteMessage.of(
                new KernelRoute(
                        IpPrefix.parse("10.1.0.0/24"),
                        List.of(IpAddress.parse("10.0.0.3"), IpAddress.parse("10.0.0.2"))),
                1000,
                200,
                20);
        String expected = ""
                // nlmsghdr: len 88, RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq, pid 0
                + "58000000 1800 0506 03 70 15 6b 00000000"
                // rtmsg: AF_INET, /24, src 0, tos 0, table UNSPEC (1000 does not fit), proto 200, universe, unicast, 0
                + "02 18 00 00 00 c8 00 01 00000000"
                // RTA_DST 10.1.0.0, RTA_PRIORITY 20, RTA_TABLE 1000
                + "0800 0100 0a010000" + "0800 0600 14000000" + "0800 0f00 e8030000"
                // RTA_MULTIPATH (36): two rtnexthop {len 16, flags 0, hops 0, ifindex 0} + RTA_GATEWAY
                + "2400 0900"
                + "1000 00 00 00000000 0800 0500 0a000002"
                + "1000 00 00 00000000 0800 0500 0a000003";
        assertThat(written(
                        m,
                        RouteMessage.RTM_NEWROUTE,
                        Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_EXCL | Netlink.NLM_F_CREATE))
                .as("iproute2 puts RTA_TABLE before RTA_MULTIPATH too; gateways go in address order")
                .isEqualTo(HEX.formatHex(bytes(expected)));
    }

    @Test
    void aSingleGatewayIsRtaGatewayAndADeleteNamesProtocolAndMetricInAnyScope() {
        RouteMessage m = RouteMessage.of(
                new KernelRoute(IpPrefix.parse("10.2.0.0/16"), List.of(IpAddress.parse("10.0.0.2"))), 254, 200, 20);
        assertThat(written(m, RouteMessage.RTM_NEWROUTE, Netlink.NLM_F_REQUEST))
                .isEqualTo(HEX.formatHex(bytes("3c000000 1800 0100 03 70 15 6b 00000000"
                        + "02 10 00 00 fe c8 00 01 00000000"
                        + "0800 0100 0a020000" + "0800 0600 14000000" + "0800 0f00 fe000000"
                        + "0800 0500 0a000002")));
        // `ip route del 10.2.0.0/16 proto 200 metric 20`: scope NOWHERE, type UNSPEC, no gateway
        assertThat(written(m, RouteMessage.RTM_DELROUTE, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK))
                .isEqualTo(HEX.formatHex(bytes("34000000 1900 0500 03 70 15 6b 00000000"
                        + "02 10 00 00 fe c8 ff 00 00000000"
                        + "0800 0100 0a020000" + "0800 0600 14000000" + "0800 0f00 fe000000")));
    }

    @Test
    void anIpv6NextHopOfAnIpv4RouteIsRtaViaWithItsFamily() {
        RouteMessage m = RouteMessage.of(
                new KernelRoute(IpPrefix.parse("10.2.0.0/16"), List.of(IpAddress.parse("fd00::2"))), 254, 200, 20);
        // `ip route add 10.2.0.0/16 via inet6 fd00::2 proto 200 metric 20`: struct rtvia is AF_INET6, then the address
        assertThat(written(m, RouteMessage.RTM_NEWROUTE, Netlink.NLM_F_REQUEST))
                .isEqualTo(HEX.formatHex(bytes("4c000000 1800 0100 03 70 15 6b 00000000"
                        + "02 10 00 00 fe c8 00 01 00000000"
                        + "0800 0100 0a020000" + "0800 0600 14000000" + "0800 0f00 fe000000"
                        + "1600 1200 0a00 fd000000000000000000000000000002 0000")));
        Netlink.Message msg = Netlink.Message.next(ByteBuffer.wrap(bytes(written(m, RouteMessage.RTM_NEWROUTE, 0)))
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN))
                .orElseThrow();
        assertThat(RouteMessage.read(msg.body()).orElseThrow().gateways())
                .as("a dump's RTA_VIA reads back")
                .containsExactly(IpAddress.parse("fd00::2"));
    }

    @Test
    void aDefaultRouteCarriesNoDestination() {
        RouteMessage m = RouteMessage.of(
                new KernelRoute(IpPrefix.parse("0.0.0.0/0"), List.of(IpAddress.parse("10.0.0.2"))), 254, 200, 20);
        String hex = written(m, RouteMessage.RTM_NEWROUTE, Netlink.NLM_F_REQUEST);
        assertThat(hex).startsWith("34000000").doesNotContain("08000100");
    }

    @Test
    void theKernelsDumpOfAnIpv4EcmpRouteReadsBack() {
        // RTM_NEWROUTE from `ip route show table 1000`: table COMPAT (252) in rtmsg, 1000 in RTA_TABLE; ifindex 2
        byte[] dumped = bytes("58000000 1800 2200 03 70 15 6b 64520000"
                + "02 18 00 00 fc c8 00 01 00000000"
                + "0800 0f00 e8030000" + "0800 0100 0a010000" + "0800 0600 14000000"
                + "2400 0900"
                + "1000 00 00 02000000 0800 0500 0a000002"
                + "1000 00 00 02000000 0800 0500 0a000003");
        Netlink.Message msg = Netlink.Message.next(ByteBuffer.wrap(dumped).order(java.nio.ByteOrder.LITTLE_ENDIAN))
                .orElseThrow();
        assertThat(msg.type()).isEqualTo(RouteMessage.RTM_NEWROUTE);
        RouteMessage m = RouteMessage.read(msg.body()).orElseThrow();
        assertThat(m)
                .isEqualTo(new RouteMessage(
                        IpPrefix.parse("10.1.0.0/24"),
                        1000,
                        200,
                        20,
                        RouteMessage.RTN_UNICAST,
                        List.of(IpAddress.parse("10.0.0.2"), IpAddress.parse("10.0.0.3"))));
    }

    @Test
    void theKernelsDumpOfAnIpv6EcmpRouteReadsBackPastTheAttributesItDoesNotUse() {
        String v6dst = "fd100000000000000000000000000000";
        String gw2 = "fd000000000000000000000000000002";
        String gw3 = "fd000000000000000000000000000003";
        byte[] dumped = bytes("a8000000 1800 2200 03 70 15 6b 6a520000"
                + "0a 30 00 00 fe c8 00 01 00000000"
                + "0800 0f00 fe000000" + "1400 0100 " + v6dst + "0800 0600 14000000"
                + "3c00 0900"
                + "1c00 00 00 02000000 1400 0500 " + gw2
                + "1c00 00 00 02000000 1400 0500 " + gw3
                // RTA_CACHEINFO (36 bytes of zeros) and RTA_PREF (5, padded to 8)
                + "2400 0c00" + "00".repeat(32) + "0500 1400 00 000000");
        Netlink.Message msg = Netlink.Message.next(ByteBuffer.wrap(dumped).order(java.nio.ByteOrder.LITTLE_ENDIAN))
                .orElseThrow();
        RouteMessage m = RouteMessage.read(msg.body()).orElseThrow();
        assertThat(m.destination()).isEqualTo(IpPrefix.parse("fd10::/48"));
        assertThat(m.table()).isEqualTo(254);
        assertThat(m.protocol()).isEqualTo(200);
        assertThat(m.gateways()).containsExactly(IpAddress.parse("fd00::2"), IpAddress.parse("fd00::3"));
    }

    @Test
    void aDumpRequestAsksForOneFamilyTableAndProtocol() {
        ByteBuffer out = Netlink.buffer(64);
        RouteMessage.writeDump(out, IpFamily.IPV6, 1000, 200, SEQ);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        assertThat(HEX.formatHex(b))
                .isEqualTo(HEX.formatHex(bytes("24000000 1a00 0103 03 70 15 6b 00000000"
                        + "0a 00 00 00 00 c8 00 00 00000000" + "0800 0f00 e8030000")));
    }

    @Test
    void aTruncatedOrForeignMessageIsSkippedNotThrown() {
        assertThat(RouteMessage.read(ByteBuffer.wrap(new byte[5]))).isEmpty();
        byte[] mpls = bytes("1c 14 00 00 fe c8 00 01 00000000"); // AF_MPLS
        assertThat(RouteMessage.read(ByteBuffer.wrap(mpls).order(java.nio.ByteOrder.LITTLE_ENDIAN)))
                .isEmpty();
        byte[] cut = bytes("02 18 00 00 fe c8 00 01 00000000" + "0800 0100 0a01"); // RTA_DST cut short
        assertThat(RouteMessage.read(ByteBuffer.wrap(cut).order(java.nio.ByteOrder.LITTLE_ENDIAN)))
                .isEmpty();
    }

    @Test
    void aRefusalCarriesTheErrnoAndTheKernelsText() {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS, error -101 (ENETUNREACH), the request's header, NLMSGERR_ATTR_MSG
        String text = "Nexthop has invalid gateway";
        byte[] t = (text + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int attrLen = 4 + t.length;
        ByteBuffer b = ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int total = 16 + 4 + 16 + Netlink.align(attrLen);
        b.putInt(total)
                .putShort(Netlink.NLMSG_ERROR)
                .putShort((short) 0x300)
                .putInt(SEQ)
                .putInt(0);
        b.putInt(-101);
        b.putInt(60)
                .putShort(RouteMessage.RTM_NEWROUTE)
                .putShort((short) 0x605)
                .putInt(SEQ)
                .putInt(0);
        b.putShort((short) attrLen).putShort((short) 1).put(t);
        while ((b.position() & 3) != 0) {
            b.put((byte) 0);
        }
        b.flip();
        Netlink.Message m = Netlink.Message.next(b).orElseThrow();
        assertThat(m.type()).isEqualTo(Netlink.NLMSG_ERROR);
        assertThat(m.seq()).isEqualTo(SEQ);
        assertThat(m.errno()).isEqualTo(101);
        assertThat(m.kernelText()).contains(text);
        assertThat(RouteFailure.errnoName(101)).isEqualTo("ENETUNREACH");
    }
}
