package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshgw.bgp.wire.PathAttribute.AsPath;
import io.meshgw.bgp.wire.PathAttribute.Communities;
import io.meshgw.bgp.wire.PathAttribute.MpReachNlri;
import io.meshgw.bgp.wire.PathAttribute.MultiExitDisc;
import io.meshgw.bgp.wire.PathAttribute.NextHop;
import io.meshgw.bgp.wire.PathAttribute.Origin;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final String MARKER = "ffffffffffffffffffffffffffffffff";

    static BgpMessage roundTrip(BgpMessage m, CodecOptions o) {
        byte[] wire = MessageEncoder.encode(m, o);
        DecodeResult r = MessageDecoder.decode(wire, o);
        assertThat(r).as("decoding %s", m).isInstanceOf(DecodeResult.Ok.class);
        assertThat(((DecodeResult.Ok) r).repairs()).isEmpty();
        return ((DecodeResult.Ok) r).message();
    }

    @Test
    void prefixesPrintInCanonicalForm() {
        assertThat(Prefix.parse("2001:db8:0:0:0:0:0:0/32")).hasToString("2001:db8::/32");
        assertThat(Prefix.parse("::/0")).hasToString("::/0");
        assertThat(Prefix.parse("2001:db8:0:1:0:0:0:1/128")).hasToString("2001:db8:0:1::1/128");
        assertThat(Prefix.parse("fe80::1:0:0:0/64")).hasToString("fe80::/64");
        assertThat(Prefix.parse("10.1.2.0/24")).hasToString("10.1.2.0/24");
    }

    @Test
    void keepaliveIsTheBareHeader() {
        assertThat(HEX.formatHex(MessageEncoder.encode(new Keepalive(), CodecOptions.MODERN)))
                .isEqualTo(MARKER + "001304");
        assertThat(roundTrip(new Keepalive(), CodecOptions.MODERN)).isEqualTo(new Keepalive());
    }

    @Test
    void ipv4UpdateMatchesTheHandBuiltBytes() {
        String hex = MARKER + "003d02" + "0000" + "0022"
                + "40010100" // ORIGIN IGP
                + "40020602010000fde9" // AS_PATH sequence [65001], 4-octet
                + "4003040a000001" // NEXT_HOP 10.0.0.1
                + "80040400000064" // MED 100
                + "c00804fde90064" // COMMUNITIES 65001:100
                + "180a0102"; // 10.1.2.0/24
        Update expected = new Update(
                List.of(),
                List.of(
                        new Origin(0),
                        AsPath.sequence(65001L),
                        new NextHop(new byte[] {10, 0, 0, 1}),
                        new MultiExitDisc(100),
                        new Communities(List.of(0xFDE90064L))),
                List.of(Prefix.parse("10.1.2.0/24")));
        assertThat(HEX.formatHex(MessageEncoder.encode(expected, CodecOptions.MODERN)))
                .isEqualTo(hex);
        var decoded = (DecodeResult.Ok) MessageDecoder.decode(HEX.parseHex(hex), CodecOptions.MODERN);
        assertThat(decoded.message()).isEqualTo(expected);
    }

    @Test
    void ipv6NextHopWithLinkLocalRoundTrips() {
        byte[] nh = new byte[32];
        nh[0] = 0x20;
        nh[1] = 0x01;
        nh[16] = (byte) 0xfe;
        nh[17] = (byte) 0x80;
        var mp = new MpReachNlri(Afi.IPV6, 1, nh, List.of(Prefix.parse("2001:db8:1::/48"), Prefix.parse("::/0")));
        Update u = new Update(List.of(), List.of(new Origin(0), AsPath.sequence(65001L), mp), List.of());
        Update back = (Update) roundTrip(u, CodecOptions.MODERN);
        assertThat(back).isEqualTo(u);
        assertThat(back.attribute(MpReachNlri.class).orElseThrow().nextHop()).hasSize(32);
    }

    @Test
    void anIpv4RouteWithAnIpv6NextHopDecodesOnlyWhereRfc8950WasNegotiated() {
        byte[] nh = InetAddress.ofLiteral("2001:db8::1").getAddress();
        var mp = new MpReachNlri(Afi.IPV4, 1, nh, List.of(Prefix.parse("10.1.0.0/16")));
        Update u = new Update(List.of(), List.of(new Origin(0), AsPath.sequence(65001L), mp), List.of());
        var negotiated = new CodecOptions(true, false, true, AttributeScreen.DEFAULT, true);
        assertThat(roundTrip(u, negotiated)).isEqualTo(u);

        byte[] wire = MessageEncoder.encode(u, negotiated);
        var plain = MessageDecoder.decode(wire, CodecOptions.MODERN);
        assertThat(plain)
                .as("RFC 7606 §7.11: a next hop length the session did not negotiate resets it")
                .isInstanceOf(DecodeResult.Failed.class);
    }

    @Test
    void openWithEveryCapabilityRoundTrips() {
        Open open = new Open(
                Open.AS_TRANS,
                90,
                0x0A000001L,
                List.of(
                        new Capability.MultiProtocol(1, 1),
                        new Capability.MultiProtocol(2, 1),
                        new Capability.RouteRefreshCapability(),
                        new Capability.EnhancedRouteRefresh(),
                        new Capability.FourOctetAs(4200000001L),
                        new Capability.GracefulRestart(
                                true, 120, List.of(new Capability.GracefulRestart.Family(1, 1, true))),
                        new Capability.ExtendedMessage(),
                        new Capability.ExtendedNextHop(List.of(
                                Capability.ExtendedNextHop.IPV4_UNICAST_OVER_IPV6,
                                new Capability.ExtendedNextHop.Entry(1, 128, 2))),
                        new Capability.Unknown(73, new byte[] {3, 'r', 't', 'r'})));
        Open back = (Open) roundTrip(open, CodecOptions.INITIAL);
        assertThat(back).isEqualTo(open);
        assertThat(back.asn()).isEqualTo(4200000001L);
    }

    @Test
    void fourOctetPathsTravelInAs4PathOverTwoOctetSessions() {
        Update u = new Update(
                List.of(),
                List.of(new Origin(0), AsPath.sequence(65001L, 4200000001L), new NextHop(new byte[] {10, 0, 0, 1})),
                List.of(Prefix.parse("192.0.2.0/24")));
        CodecOptions twoOctet = new CodecOptions(false, false, true);
        byte[] wire = MessageEncoder.encode(u, twoOctet);
        assertThat(HEX.formatHex(wire)).contains("4002060202fde95ba0"); // AS_PATH 65001, AS_TRANS in 2 octets
        Update back = (Update) ((DecodeResult.Ok) MessageDecoder.decode(wire, twoOctet)).message();
        assertThat(back.attribute(AsPath.class).orElseThrow().flatten()).containsExactly(65001L, 4200000001L);
    }

    @Test
    void shutdownCommunicationRoundTripsAndABadLengthMeansNoMessage() {
        Notification n = Notification.shutdown(Notification.CEASE_ADMIN_SHUTDOWN, "maintenance: ticket 4711 ✓");
        Notification back = (Notification) roundTrip(n, CodecOptions.MODERN);
        assertThat(back.shutdownCommunication()).hasValue("maintenance: ticket 4711 ✓");
        assertThat(new Notification(6, 2, new byte[] {9, 'x'}).shutdownCommunication())
                .isEmpty();
    }

    @Test
    void routeRefreshRoundTripsWithItsSubtype() {
        var rr = new RouteRefresh(2, 1, RouteRefresh.BEGIN);
        assertThat(roundTrip(rr, CodecOptions.MODERN)).isEqualTo(rr);
        byte[] tooLong = HEX.parseHex(MARKER + "0018050001000100");
        var f = (DecodeResult.Failed) MessageDecoder.decode(tooLong, CodecOptions.MODERN);
        assertThat(f.error().code()).isEqualTo(7);
        assertThat(f.error().subcode()).isEqualTo(1);
    }

    @Test
    void endOfRibIsRecognisedPerFamily() {
        assertThat(((Update) roundTrip(Update.endOfRib(), CodecOptions.MODERN)).endOfRibFamily())
                .hasValue(Afi.IPV4);
        assertThat(((Update) roundTrip(Update.endOfRib(Afi.IPV6), CodecOptions.MODERN)).endOfRibFamily())
                .hasValue(Afi.IPV6);
    }

    @Test
    void longAttributesUseTheExtendedLengthFlag() {
        List<Long> many = new ArrayList<>();
        for (long i = 0; i < 100; i++) {
            many.add(i);
        }
        Update u = new Update(
                List.of(),
                List.of(
                        new Origin(2),
                        AsPath.sequence(65001L),
                        new NextHop(new byte[] {1, 2, 3, 4}),
                        new Communities(many)),
                List.of(Prefix.parse("10.0.0.0/8")));
        assertThat(roundTrip(u, CodecOptions.MODERN)).isEqualTo(u);
        assertThat(HEX.formatHex(MessageEncoder.encode(u, CodecOptions.MODERN))).contains("d0080190");
    }

    @Test
    void theFrameSplitterReassemblesMessagesFromAnyChunking() {
        byte[] a = MessageEncoder.encode(new Keepalive(), CodecOptions.MODERN);
        byte[] b = MessageEncoder.encode(new RouteRefresh(1, 1, 0), CodecOptions.MODERN);
        byte[] stream = new byte[a.length + b.length];
        System.arraycopy(a, 0, stream, 0, a.length);
        System.arraycopy(b, 0, stream, a.length, b.length);
        var splitter = new FrameSplitter(CodecOptions.MODERN);
        List<byte[]> out = new ArrayList<>();
        for (byte x : stream) {
            assertThat(splitter.feed(new byte[] {x}, 0, 1, out::add)).isNull();
        }
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isEqualTo(b);
        assertThat(splitter.buffered()).isZero();

        byte[] bad = HEX.parseHex(MARKER + "100104"); // 4097 > 4096
        BgpError err = new FrameSplitter(CodecOptions.MODERN).feed(bad, 0, bad.length, out::add);
        assertThat(err.code()).isEqualTo(1);
        assertThat(err.subcode()).isEqualTo(2);
        assertThat(err.data()).containsExactly(0x10, 0x01);
    }

    @Test
    void anOverlongLengthFieldFailsOnTheHeaderAloneUntilExtendedMessagesAreNegotiated() {
        // RFC 8654 §4: 5000 bytes announced, only the 19-byte header sent
        byte[] header = HEX.parseHex(MARKER + "138802");
        var plain = new FrameSplitter(new CodecOptions(true, false, true));
        BgpError err = plain.feed(header, 0, header.length, m -> {});
        assertThat(err).isNotNull();
        assertThat(err.subcode()).isEqualTo(2);
        assertThat(err.data()).containsExactly(0x13, 0x88);

        var extended = new FrameSplitter(new CodecOptions(true, false, true));
        extended.negotiated(new CodecOptions(true, true, true));
        assertThat(extended.feed(header, 0, header.length, m -> {})).isNull();
        assertThat(extended.buffered()).isEqualTo(19);
    }
}
